/**
 * Optimizers and learning-rate schedulers with PyTorch 1.13's semantics: {@link
 * dev.clgrad.optim.SGD}, {@link dev.clgrad.optim.Adam} and {@link dev.clgrad.optim.AdamW}
 * update parameters in place on their device; {@link dev.clgrad.optim.StepLR} and {@link
 * dev.clgrad.optim.CosineAnnealingLR} set their learning rate per epoch.
 *
 * <pre>{@code
 * var opt = new AdamW(model.parameters(), 1e-3).weightDecay(0.05);
 * var sched = new CosineAnnealingLR(opt, epochs, 1e-5);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     for (List<Tensor> batch : loader) {
 *         try (var scope = TensorScope.open()) {
 *             opt.zeroGrad();
 *             lossOf(model, batch).backward();
 *             opt.step();
 *         }
 *     }
 *     sched.step();
 * }
 * }</pre>
 */
package dev.clgrad.optim;
