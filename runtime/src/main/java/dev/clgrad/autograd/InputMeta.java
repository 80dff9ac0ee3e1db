package dev.clgrad.autograd;

import dev.clgrad.DType;
import dev.clgrad.Device;

/**
 * Shape, dtype and device of one input of a node, against which the engine validates and
 * unbroadcasts the gradient flowing back to that input.
 *
 * @param shape input shape
 * @param dtype input dtype
 * @param device input device
 */
public record InputMeta(long[] shape, DType dtype, Device device) {
}
