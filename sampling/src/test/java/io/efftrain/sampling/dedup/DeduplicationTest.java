package io.efftrain.sampling.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.DedupSettings;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * Planted duplicates in real Fashion-MNIST images: exact copies and copies with pixel noise must be found, and
 * (nearly) nothing else.
 */
class DeduplicationTest {
    private static final int ORIGINALS = 4000;
    private static final int PLANTED = 200;
    private static final int NOISE = 10; // grey levels, uniform in [-NOISE, NOISE] on every pixel

    @Test
    void plantedExactAndNoisyCopiesAreFound() {
        ExampleBlock block = FashionMnist.block(true, ORIGINALS);
        Random random = new Random(3);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ORIGINALS; i++) {
            rows.add(RowFactory.create(String.format("o%05d", i), block.label(i), block.encodedFeatures(i)));
        }
        Map<String, String> planted = new HashMap<>();
        for (int i = 0; i < PLANTED; i++) {
            int original = random.nextInt(ORIGINALS);
            rows.add(RowFactory.create("x-exact-" + i, block.label(original), block.encodedFeatures(original)));
            planted.put("x-exact-" + i, String.format("o%05d", original));
            byte[] noisy = block.encodedFeatures(original);
            for (int j = 0; j < noisy.length; j++) {
                int v = (noisy[j] & 0xFF) + random.nextInt(2 * NOISE + 1) - NOISE;
                noisy[j] = (byte) Math.max(0, Math.min(255, v));
            }
            rows.add(RowFactory.create("x-noisy-" + i, block.label(original), noisy));
            planted.put("x-noisy-" + i, String.format("o%05d", original));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.IntegerType)
                .add("features", DataTypes.BinaryType);
        var table = LocalSpark.session().createDataFrame(rows, schema).repartition(4);
        DedupSettings settings = ConfigLoader.load(null, List.of()).sampling().dedup();

        Deduplication.Result result = Deduplication.find(table, settings, FeatureDecoder.pixelsToUnitRange(784), 1);
        Map<String, String> removed = new HashMap<>();
        for (Row r : result.removed().collectAsList()) {
            removed.put(r.getString(0), r.getString(1));
        }
        int exactFound = 0;
        int noisyFound = 0;
        for (Map.Entry<String, String> copy : planted.entrySet()) {
            // Found: the copy and its original ended in one group (one of them removed, pointing at the kept one).
            String original = copy.getValue();
            String keptCopy = removed.getOrDefault(copy.getKey(), copy.getKey());
            String keptOriginal = removed.getOrDefault(original, original);
            if (keptCopy.equals(keptOriginal)) {
                if (copy.getKey().startsWith("x-exact")) {
                    exactFound++;
                } else {
                    noisyFound++;
                }
            }
        }
        long falsePositives = removed.keySet().stream().filter(id -> !planted.containsKey(id)
                && !planted.containsValue(id)).count();
        System.out.printf("dedup: exact recall %.3f, noisy recall %.3f, other removals %d, candidate pairs %d%n",
                exactFound / (double) PLANTED, noisyFound / (double) PLANTED, falsePositives, result.candidatePairs());
        assertTrue(exactFound >= 0.99 * PLANTED, "exact recall " + exactFound);
        assertTrue(noisyFound >= 0.9 * PLANTED, "noisy recall " + noisyFound);
        assertTrue(falsePositives <= 0.01 * ORIGINALS, "false positives " + falsePositives);
        assertEquals(removed.size(), result.exactRemoved() + result.nearRemoved());
    }
}
