package dev.clgrad.spi;

/**
 * One operand of a primitive: a buffer seen through a strided layout.
 *
 * @param buffer where the elements live
 * @param layout which elements, in which order
 */
public record View(Buffer buffer, Layout layout) {
}
