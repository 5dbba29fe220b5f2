package io.efftrain.trainers.engine;

/**
 * Whether this JVM can run the Vector API kernels ({@link DirectFirstBlock}) and at which width: JDK 17 resolves
 * the incubating {@code jdk.incubator.vector} module only when asked ({@code --add-modules}, which efftrain's
 * launcher, Surefire and executors get from {@code conf/java17-flags.properties}), and a class that uses it must
 * not even be loaded without it. A {@code spark-shell} or {@code spark-submit} started without the flag trains the
 * same model on the matrix-multiply route, a little slower.
 *
 * <p>The width is the CPU's own (256 bits on AVX2, 512 on AVX-512), chosen at run time. The system property
 * {@value VectorWidth#PROPERTY} forces one ({@code 256} or {@code 512}) so that every route can be tested on any x86
 * machine: a width wider than the CPU's runs emulated (correct, far slower), and the layers then keep to the
 * matrix-multiply route unless a test calls the kernel itself.
 */
final class VectorKernels {
    /** Whether the incubating Vector API module is in this JVM's boot layer. */
    static final boolean MODULE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /**
     * The module is there and the CPU runs the chosen width natively; checked once per JVM, which then also
     * compiles the kernels ({@link DirectFirstBlock#warmUp}).
     */
    static final boolean AVAILABLE = MODULE && DirectFirstBlock.nativeWidth() && DirectFirstBlock.warmUp();

    private VectorKernels() {
    }

    /**
     * The route the LeNet's first block takes in this JVM, for logs and manifests: {@code vector-256},
     * {@code vector-512} or {@code matrix-multiply}.
     */
    static String route() {
        return AVAILABLE ? "vector-" + DirectFirstBlock.bits() : "matrix-multiply";
    }
}
