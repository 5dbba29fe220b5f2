package org.nd4j.nativeblas;

import java.lang.reflect.Method;

/**
 * Restores the class DL4J 1.0.0-M2.1 looks for before it lets oneDNN run convolutions and pooling.
 *
 * <p>{@code BaseMKLDNNHelper.mklDnnEnabled()} loads {@code org.nd4j.nativeblas.Nd4jCpu$Environment} and calls
 * {@code isUseMKLDNN()} on it; in M2.1 the class moved to {@code org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu}
 * and the method became {@code isUseONEDNN()}, so the lookup fails and every layer falls back to the slow
 * im2col path. This class answers the old question with the new answer, read from the running backend; it
 * changes no DL4J code. Without the CPU backend (the CUDA build) it answers false, as DL4J would.
 */
public final class Nd4jCpu {
    private Nd4jCpu() {
    }

    /** The environment view DL4J's helper check expects. */
    public static final class Environment {
        private static final Environment INSTANCE = new Environment();
        private final boolean useOneDnn;

        private Environment() {
            this.useOneDnn = readUseOneDnn();
        }

        public static Environment getInstance() {
            return INSTANCE;
        }

        /** Whether the loaded libnd4j runs oneDNN (formerly MKL-DNN) kernels. */
        public boolean isUseMKLDNN() {
            return useOneDnn;
        }

        private static boolean readUseOneDnn() {
            try {
                Class<?> environment = Class.forName("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu$Environment");
                Object instance = environment.getMethod("getInstance").invoke(null);
                Method isUse = environment.getMethod("isUseONEDNN");
                return (Boolean) isUse.invoke(instance);
            } catch (ReflectiveOperationException | LinkageError e) {
                return false;
            }
        }
    }
}
