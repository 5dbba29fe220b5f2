package io.efftrain.trainers.fastcpu;

/**
 * Whether this JVM can run the Vector API kernels ({@link DirectFirstBlock}): JDK 17 resolves the incubating
 * {@code jdk.incubator.vector} module only when asked ({@code --add-modules}, which efftrain's launcher, Surefire
 * and executors get from {@code conf/java17-flags.properties}), and a class that uses it must not even be loaded
 * without it. A {@code spark-shell} or {@code spark-submit} started without the flag trains the same model on
 * the matrix-multiply route, a little slower.
 */
final class VectorKernels {
    /**
     * The module is there and the CPU has native 512-bit vectors; checked once per JVM, which then also compiles
     * the kernels ({@link DirectFirstBlock#warmUp}).
     */
    static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
            && DirectFirstBlock.nativeWidth() && DirectFirstBlock.warmUp();

    private VectorKernels() {
    }
}
