package io.efftrain.trainers.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Every vector width of the direct first block, on whatever x86 machine runs the suite: a child JVM forces 256 or
 * 512 bits ({@link VectorWidth#PROPERTY}) and checks the kernel's output and gradients against the
 * double-precision reference. A width the CPU lacks runs emulated by the Vector API (slow, still exact enough), so
 * an AVX2 machine tests the AVX-512 route's code and an AVX-512 machine the AVX2 one; the child also says whether
 * the layers would take the route (natively only). The third route, no module at all, is
 * {@link FirstBlockFallbackTest}.
 */
class VectorRoutesTest {
    private static final ConvPoolGeometry FIRST = new ConvPoolGeometry(28, 28, 1, 5, 20, 2);
    private static final int EXAMPLES = 3;

    @ParameterizedTest
    @ValueSource(ints = {256, 512})
    void eachWidthComputesTheFirstBlockAsTheReferenceDoes(int bits) throws IOException, InterruptedException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "--add-modules=jdk.incubator.vector",
                "-D" + VectorWidth.PROPERTY + "=" + bits, "-cp", System.getProperty("java.class.path"),
                VectorRoutesTest.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        assertTrue(out.contains("kernel bits " + bits), out);
        assertTrue(out.contains("matches the reference"), out);
        boolean nativeHere = bits <= Integer.parseInt(out.lines().filter(l -> l.startsWith("preferred bits "))
                .findFirst().orElseThrow(() -> new AssertionError(out)).substring("preferred bits ".length()).trim());
        assertTrue(out.contains("route " + (nativeHere ? "vector-" + bits : "matrix-multiply")), out);
    }

    @Test
    void anUnknownWidthIsAClearError() {
        assertEquals(0, VectorWidth.parse(null));
        assertEquals(256, VectorWidth.parse(" 256"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VectorWidth.parse("384"));
        assertTrue(e.getMessage().contains(VectorWidth.PROPERTY + "=384"), e.getMessage());
    }

    /** The child: the direct kernel at the forced width, forward and back, against the reference. */
    public static void main(String[] args) {
        System.out.println("kernel bits " + DirectFirstBlock.bits());
        System.out.println("preferred bits " + jdk.incubator.vector.FloatVector.SPECIES_PREFERRED.vectorBitSize());
        System.out.println("route " + VectorKernels.route());
        ConvPoolGeometry g = FIRST;
        Random random = new Random(17);
        float[] x = ConvPoolBlockTest.randoms(random, EXAMPLES * g.inputSize());
        float[] weights = Arrays.copyOf(scaled(ConvPoolBlockTest.randoms(random, g.patchSize() * g.filters())),
                g.patchSize() * g.filters() + DirectFirstBlock.PADDING);
        float[] bias = Arrays.copyOf(scaled(ConvPoolBlockTest.randoms(random, g.filters())),
                g.filters() + DirectFirstBlock.PADDING);
        float[] eps = ConvPoolBlockTest.randoms(random, EXAMPLES * g.outputSize());
        int values = EXAMPLES * g.outputSize();
        float[] pooled = new float[values + DirectFirstBlock.PADDING];
        float[] window = new float[values + DirectFirstBlock.PADDING];
        float[] gradient = Arrays.copyOf(eps, values + DirectFirstBlock.PADDING);
        float[] weightGradient = new float[g.patchSize() * g.filters()];
        float[] biasGradient = new float[g.filters()];

        DirectFirstBlock.forward(g, x, 0, EXAMPLES, weights, bias, pooled, window);
        ConvPoolKernels.reluGate(pooled, gradient, values);
        DirectFirstBlock.backward(g, x, 0, EXAMPLES, gradient, window, weightGradient, biasGradient);

        ConvPoolBlockTest.Reference reference = new ConvPoolBlockTest.Reference(g, x, EXAMPLES,
                Arrays.copyOf(weights, g.patchSize() * g.filters()), Arrays.copyOf(bias, g.filters()), eps);
        check(reference.output, Arrays.copyOf(pooled, values), "output");
        check(reference.weightGradient, weightGradient, "weight gradient");
        check(reference.biasGradient, biasGradient, "bias gradient");
        System.out.println("matches the reference");
    }

    private static float[] scaled(float[] values) {
        for (int i = 0; i < values.length; i++) {
            values[i] *= 0.2f;
        }
        return values;
    }

    private static void check(double[] expected, float[] actual, String what) {
        if (expected.length != actual.length) {
            throw new AssertionError(what + ": " + actual.length + " values, expected " + expected.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Math.abs(expected[i] - actual[i]) > 1e-4 * (1 + Math.abs(expected[i]))) {
                throw new AssertionError(what + " at " + i + ": " + actual[i] + ", expected " + expected[i]);
            }
        }
    }
}
