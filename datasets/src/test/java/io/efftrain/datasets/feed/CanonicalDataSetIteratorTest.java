package io.efftrain.datasets.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.datasets.prepare.TablePreparer;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.DataSet;

/** The single-JVM loader: every example once per epoch, seeded shuffling, decoded and normalised values. */
class CanonicalDataSetIteratorTest {
    private static final int N = 1000;

    @TempDir
    static Path dir;
    static String table;

    @BeforeAll
    static void prepare() {
        FashionMnist.require();
        table = dir.resolve("t").toUri().toString();
        TablePreparer.prepare(LocalSpark.session(), ConfigLoader.load(null,
                List.of("data.train-limit=" + N, "data.test-limit=10")).data(), 42, table, false);
    }

    private static CanonicalDataSetIterator open(long seed) {
        return new CanonicalDataSetIterator(table, "train", 64, 256, 4, seed, new Configuration());
    }

    /** One fingerprint per example: its label and the sum of its features. */
    private static List<String> epoch(CanonicalDataSetIterator it) {
        List<String> out = new ArrayList<>();
        while (it.hasNext()) {
            DataSet batch = it.next();
            assertTrue(batch.numExamples() <= 64);
            float[][] x = batch.getFeatures().toFloatMatrix();
            float[][] y = batch.getLabels().toFloatMatrix();
            for (int i = 0; i < x.length; i++) {
                float sum = 0;
                for (float v : x[i]) {
                    assertTrue(v >= 0 && v <= 1, "scaled to [0, 1]");
                    sum += v;
                }
                int label = 0;
                while (y[i][label] != 1f) {
                    label++;
                }
                out.add(label + ":" + Math.round(sum * 1000));
            }
        }
        return out;
    }

    @Test
    void everyExampleOncePerEpochInANewOrderEachEpoch() {
        try (CanonicalDataSetIterator it = open(1)) {
            assertEquals(784, it.inputColumns());
            assertEquals(10, it.totalOutcomes());
            List<String> first = epoch(it);
            assertEquals(N, first.size());
            assertFalse(it.hasNext());
            it.reset();
            List<String> second = epoch(it);
            assertEquals(sorted(first), sorted(second), "the same examples");
            assertNotEquals(first, second, "in another order");
        }
    }

    @Test
    void theSameSeedGivesTheSameBatches() {
        try (CanonicalDataSetIterator a = open(5); CanonicalDataSetIterator b = open(5);
             CanonicalDataSetIterator c = open(6)) {
            List<String> fromA = epoch(a);
            assertEquals(fromA, epoch(b));
            assertNotEquals(fromA, epoch(c));
        }
    }

    @Test
    void theLoaderMatchesTheTableAfterAnEarlyStop() {
        try (CanonicalDataSetIterator it = open(9)) {
            it.next();
            it.reset(); // an epoch abandoned half-way must not leak into the next
            assertEquals(N, epoch(it).size());
            assertEquals(1, it.epoch());
        }
    }

    private static List<String> sorted(List<String> values) {
        String[] copy = values.toArray(String[]::new);
        Arrays.sort(copy);
        return List.of(copy);
    }
}
