/**
 * efftrain's fast CPU training path (model.kernels = fast-cpu): convolution + max-pool + ReLU blocks
 * computed as one matrix multiply per pass on NHWC data, a ReLU dense layer with only the three multiplies a step
 * needs, and Adam's update in one vectorised Java loop. All are ordinary DL4J layers and updaters, so parameter
 * averaging, checkpoints and every training algorithm work on them unchanged. Why they exist, with the profile:
 * docs/experiments/fast-cpu-training.md.
 */
package io.efftrain.trainers.engine;
