/**
 * Datasets and batching for training: {@link dev.clgrad.data.TensorDataset} (samples along the
 * first dimension of tensors), {@link dev.clgrad.data.DataLoader} (shuffled, seeded batches
 * prepared on a background thread) and {@link dev.clgrad.data.Idx} (MNIST-format files).
 */
package dev.clgrad.data;
