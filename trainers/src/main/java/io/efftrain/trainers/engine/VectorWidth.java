package io.efftrain.trainers.engine;

/**
 * The vector width the kernels are asked for, read once from the system property {@value #PROPERTY}: unset, the
 * CPU's own; {@code 256} or {@code 512} to force one, so that every route can be tested on any x86 machine. Kept
 * apart from {@link VectorKernels} because the kernels' class reads it while {@link VectorKernels} is still being
 * initialised, and this class loads no Vector API class.
 */
final class VectorWidth {
    /** The system property that forces a vector width in bits. */
    static final String PROPERTY = "efftrain.vector.bits";

    /** The forced width in bits, or 0 for the CPU's own. */
    static final int REQUESTED_BITS = parse(System.getProperty(PROPERTY));

    private VectorWidth() {
    }

    static int parse(String value) {
        if (value == null || value.isBlank()) {
            return 0;
        }
        return switch (value.trim()) {
            case "256" -> 256;
            case "512" -> 512;
            default -> throw new IllegalArgumentException("system property " + PROPERTY + "=" + value
                    + " is not a vector width: use 256 or 512, or leave it unset for the CPU's own");
        };
    }
}
