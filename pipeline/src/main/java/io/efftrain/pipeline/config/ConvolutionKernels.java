package io.efftrain.pipeline.config;

/** What computes the LeNet's convolution and pooling layers and the Adam update. */
public enum ConvolutionKernels {
    /** {@link #FAST_CPU} for float32 on the CPU backend, {@link #DL4J} otherwise (CUDA backend, float16). */
    AUTO,
    /**
     * efftrain's fast CPU path: NHWC convolution + max-pool + ReLU blocks (one matrix multiply per pass, the
     * loops around it in Java on host memory) and Adam's update in one Java loop. Float32 on the CPU backend.
     */
    FAST_CPU,
    /** DL4J's ConvolutionLayer, SubsamplingLayer and Adam (cuDNN on the CUDA backend). */
    DL4J
}
