package io.efftrain.trainers.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A JVM started without {@code --add-modules jdk.incubator.vector} (a spark-shell or spark-submit whose user did
 * not pass efftrain's flags) must still train the LeNet's first block, on the matrix-multiply route, and get what
 * the direct kernel gets in this JVM.
 */
class FirstBlockFallbackTest {
    private static final int EXAMPLES = 6;

    @Test
    void withoutTheVectorModuleTheFirstBlockTakesTheMatrixMultiplyRouteToTheSameGradient()
            throws IOException, InterruptedException {
        assertTrue(VectorKernels.AVAILABLE, "this JVM (Surefire's) runs the direct kernel");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                FirstBlockFallbackTest.class.getName()).redirectErrorStream(true).start();
        String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, child.waitFor(), out);
        String line = out.lines().filter(l -> l.startsWith("gradient ")).findFirst().orElseThrow(
                () -> new AssertionError("no gradient line in the child's output:\n" + out));
        assertTrue(out.contains("vector kernels: false"), out);

        double[] fallback = Arrays.stream(line.substring("gradient ".length()).trim().split(" "))
                .mapToDouble(Double::parseDouble).toArray();
        float[] direct = weightGradient();
        assertEquals(direct.length, fallback.length);
        for (int i = 0; i < direct.length; i++) {
            assertEquals(fallback[i], direct[i], 1e-4 * (1 + Math.abs(fallback[i])), "weight gradient at " + i);
        }
    }

    /** The child: prints whether it has the kernels and the first block's weight gradient on a fixed batch. */
    public static void main(String[] args) {
        System.out.println("vector kernels: " + VectorKernels.AVAILABLE);
        float[] gradient = weightGradient();
        System.out.println("gradient " + joined(gradient));
    }

    private static String joined(float[] values) {
        StringBuilder text = new StringBuilder();
        for (float v : values) {
            text.append(v).append(' ');
        }
        return text.toString();
    }

    private static float[] weightGradient() {
        ConvPoolGeometry g = new ConvPoolGeometry(28, 28, 1, 5, 20, 2);
        Random random = new Random(9);
        Nd4j.getRandom().setSeed(21);
        Layer first = ConvPoolBlockTest.block(g, 0, true);
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        first.setInput(Nd4j.create(ConvPoolBlockTest.randoms(random, EXAMPLES * g.inputSize()),
                new long[] {EXAMPLES, g.inputSize()}, 'c'), none);
        first.activate(true, none);
        return first.backpropGradient(Nd4j.create(ConvPoolBlockTest.randoms(random, EXAMPLES * g.outputSize()),
                new long[] {EXAMPLES, g.outputSize()}, 'c'), none).getFirst()
                .getGradientFor(DefaultParamInitializer.WEIGHT_KEY).dup('c').data().asFloat();
    }
}
