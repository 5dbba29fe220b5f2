package io.efftrain.trainers.engine;

/**
 * Lets DL4J's layers use libnd4j's native helpers (oneDNN convolution and pooling on the CPU backend).
 *
 * <p>DL4J 1.0.0-M2.1 creates layer helpers only when the system property
 * {@code org.eclipse.deeplearning4j.helpers.disable} is {@code false}; it defaults to {@code true}. efftrain turns
 * helpers on unless the user set the property, in every JVM that builds networks (driver and executors),
 * before the first layer is built. The helper check itself also needs {@link org.nd4j.nativeblas.Nd4jCpu}.
 */
public final class NativeHelpers {
    /** DL4J's switch; read each time a layer is constructed. */
    public static final String DISABLE_PROPERTY = "org.eclipse.deeplearning4j.helpers.disable";

    private NativeHelpers() {
    }

    /** Enables helpers in this JVM unless the property was set explicitly. Idempotent and cheap. */
    public static void enableUnlessConfigured() {
        if (System.getProperty(DISABLE_PROPERTY) == null) {
            System.setProperty(DISABLE_PROPERTY, "false");
        }
    }
}
