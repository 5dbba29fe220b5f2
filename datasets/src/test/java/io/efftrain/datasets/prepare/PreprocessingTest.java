package io.efftrain.datasets.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.preprocess.ClassFilter;
import io.efftrain.datasets.preprocess.NormalizationModel;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preparation stages: stratified splits, class filtering, normalisation statistics, float encodings. */
class PreprocessingTest {
    @TempDir
    Path dir;

    @Test
    void validationSplitIsStratifiedDeterministicAndSeeded() {
        FashionMnist.require();
        String[] settings = {"data.train-limit=1000", "data.test-limit=10", "data.split.validation=0.2"};
        TableManifest manifest = TestSources.prepare(dir.resolve("a"), settings);
        Map<Integer, Long> train = manifest.countsByClass().get("train");
        Map<Integer, Long> validation = manifest.countsByClass().get("validation");
        long held = 0;
        long total = 0;
        for (int label = 0; label < 10; label++) {
            long all = train.get(label) + validation.get(label);
            assertShare(all, 0.2, validation.get(label), "class " + label + " keeps its share");
            held += validation.get(label);
            total += all;
        }
        assertShare(total, 0.2, held, "the split as a whole");
        assertEquals(10L, manifest.countsBySplit().get("test"), "the source's own test split is kept as it is");

        Map<String, List<Object>> first = TestSources.rows(dir.resolve("a"));
        TestSources.prepare(dir.resolve("b"), settings);
        assertEquals(first, TestSources.rows(dir.resolve("b")), "same ids and seed, same assignment");
        TablePreparer.prepare(LocalSpark.session(), TestSources.data(settings), 7, dir.resolve("c").toUri().toString(), false);
        Map<String, List<Object>> otherSeed = TestSources.rows(dir.resolve("c"));
        assertEquals(first.keySet(), otherSeed.keySet());
        assertNotEquals(splits(first), splits(otherSeed), "another seed holds out other examples");
    }

    @Test
    void aSourceWithoutTestDataGetsAStratifiedTestSplit() {
        Path csv = TestSources.writeCsv(dir.resolve("train.csv"), FashionMnist.block(true, 500));
        TableManifest manifest = TestSources.prepare(dir.resolve("t"), "data.source=csv", "data.csv.train=\"" + csv + "\"",
                "data.split.test=0.1");
        assertEquals(500L, manifest.countsBySplit().get("train") + manifest.countsBySplit().get("test"));
        manifest.countsByClass().get("test").forEach((label, held) -> assertShare(
                manifest.countsByClass().get("train").get(label) + held, 0.1, held,
                "class " + label + " gives 10 % of its examples"));
        assertShare(500, 0.1, manifest.countsBySplit().get("test"), "the test split as a whole");
    }

    /** Each example is held out with probability {@code fraction}: the count is within 3.5 standard deviations. */
    @Test
    void repeatedContentsAreNumberedInSourceOrderAcrossSplits() throws Exception {
        Path train = dir.resolve("train.csv");
        Path test = dir.resolve("test.csv");
        Files.writeString(train, "label,x\n1,5\n1,5\n0,3\n1,5\n0,4\n", StandardCharsets.UTF_8);
        Files.writeString(test, "label,x\n1,5\n0,4\n", StandardCharsets.UTF_8);
        Path table = dir.resolve("copies");
        TableManifest manifest = TestSources.prepare(table, "data.source=csv", "data.csv.train=\"" + train + "\"",
                "data.csv.test=\"" + test + "\"", "data.class-names=null", "data.split.validation=0",
                "data.normalization=none");
        Map<String, List<Object>> rows = TestSources.rows(table);
        assertEquals(7, rows.size(), "every example kept, each under its own id: " + rows.keySet());
        String five = rows.keySet().stream().filter(id -> !id.contains("-") && rows.get(id).get(0).equals(1))
                .findFirst().orElseThrow();
        String four = rows.keySet().stream().filter(id -> !id.contains("-") && rows.get(id).get(0).equals(0)
                && rows.get(id).get(2).equals("train") && rows.containsKey(id + "-1")).findFirst().orElseThrow();
        for (String copy : List.of(five, five + "-1", five + "-2")) {
            assertEquals("train", rows.get(copy).get(2), copy + " is among the first three copies, all in train");
        }
        assertEquals("test", rows.get(five + "-3").get(2), "the fourth copy comes last in source order: test");
        assertEquals("test", rows.get(four + "-1").get(2));
        assertEquals(Map.of("train", 5L, "test", 2L), manifest.countsBySplit(),
                "the manifest counts what the second write wrote");
        assertEquals(List.of("copies"), Files.list(dir).map(p -> p.getFileName().toString())
                .filter(n -> n.startsWith("copies")).toList(), "no temporary copy left behind");
    }

    private static void assertShare(long examples, double fraction, long held, String what) {
        double expected = examples * fraction;
        double allowed = 3.5 * Math.sqrt(examples * fraction * (1 - fraction)) + 1;
        assertTrue(Math.abs(held - expected) <= allowed, what + ": " + held + " of " + examples + ", expected "
                + expected + " +- " + allowed);
    }

    @Test
    void classFilterKeepsAndRelabelsTheChosenClasses() {
        FashionMnist.require();
        TableManifest all = TestSources.prepare(dir.resolve("all"), "data.train-limit=600", "data.test-limit=100");
        TableManifest two = TestSources.prepare(dir.resolve("two"), "data.train-limit=600", "data.test-limit=100",
                "data.classes=[7, 2]");
        assertEquals(List.of("Sneaker", "Pullover"), two.classNames());
        assertEquals(Map.of(0, all.countsByClass().get("train").get(7), 1, all.countsByClass().get("train").get(2)),
                two.countsByClass().get("train"));
        Map<String, List<Object>> before = TestSources.rows(dir.resolve("all"));
        TestSources.rows(dir.resolve("two")).forEach((id, row) -> {
            int original = (Integer) before.get(id).get(0);
            assertEquals(original == 7 ? 0 : 1, row.get(0), "relabelled in the order of data.classes");
        });
    }

    @Test
    void standardisationUsesTrainStatisticsOnly() {
        FashionMnist.require();
        TableManifest manifest = TestSources.prepare(dir.resolve("s"), "data.train-limit=400", "data.test-limit=400",
                "data.normalization=standardize");
        // Recompute from the train rows in plain Java.
        List<Row> train = LocalSpark.session().read().parquet(dir.resolve("s").toUri().toString())
                .where("split = 'train'").collectAsList();
        double[] mean = new double[784];
        for (Row r : train) {
            byte[] f = r.getAs(CanonicalLayout.FEATURES);
            for (int j = 0; j < 784; j++) {
                mean[j] += (f[j] & 0xFF) / (double) train.size();
            }
        }
        assertArrayEquals(mean, manifest.trainStatistics().mean(), 1e-9);
        // Decoded train features have mean 0 and standard deviation 1 per (non-constant) feature.
        FeatureDecoder decoder = manifest.decoder();
        double[] sum = new double[784];
        double[] squares = new double[784];
        float[] out = new float[784];
        for (Row r : train) {
            decoder.decode(r.getAs(CanonicalLayout.FEATURES), 0, out, 0);
            for (int j = 0; j < 784; j++) {
                sum[j] += out[j];
                squares[j] += out[j] * out[j];
            }
        }
        int centre = 14 * 28 + 14;
        assertEquals(0, sum[centre] / train.size(), 1e-4);
        assertEquals(1, Math.sqrt(squares[centre] / train.size()), 1e-3);
    }

    @Test
    void normalizationModelAddsNormalizedColumnsAndChecksItsSchemaFirst() {
        FashionMnist.require();
        TableManifest manifest = TestSources.prepare(dir.resolve("n"), "data.train-limit=50", "data.test-limit=10");
        var table = LocalSpark.session().read().parquet(dir.resolve("n").toUri().toString());
        NormalizationModel model = new NormalizationModel(manifest.normalization(), manifest.encoding(),
                manifest.trainStatistics());
        Row row = model.transform(table).select(CanonicalLayout.FEATURES, NormalizationModel.NORMALIZED).first();
        byte[] raw = row.getAs(0);
        List<Float> normalized = row.getList(1);
        assertEquals((raw[400] & 0xFF) / 255f, normalized.get(400), 1e-6);

        EfftrainException error = assertThrows(EfftrainException.class,
                () -> new ClassFilter(List.of(1)).transform(table.drop(CanonicalLayout.LABEL)));
        assertTrue(error.getMessage().contains("no column 'label'"), error.getMessage());
    }

    @Test
    void float16AndFloat32CsvFeaturesKeepTheirValues() throws Exception {
        Path csv = dir.resolve("numbers.csv");
        Files.writeString(csv, "x;y;label\n0.5;-1234.5;1\n3.14159;1e-3;0\n\"2.0\";7;1\n", StandardCharsets.UTF_8);
        for (FeatureEncoding encoding : List.of(FeatureEncoding.FLOAT16, FeatureEncoding.FLOAT32)) {
            String name = encoding.name().toLowerCase();
            TableManifest manifest = TestSources.prepare(dir.resolve(name), "data.source=csv",
                    "data.csv.train=\"" + csv + "\"", "data.csv.delimiter=\";\"", "data.feature-encoding=" + name,
                    "data.split.test=0", "data.class-names=null", "data.normalization=none");
            assertEquals(List.of("0", "1"), manifest.classNames(), "classes numbered when no names are given");
            assertArrayEquals(new int[] {2, 1, 1}, manifest.shape());
            Map<Integer, float[]> byLabelAndX = new HashMap<>();
            FeatureDecoder decoder = manifest.decoder();
            for (Row r : LocalSpark.session().read().parquet(dir.resolve(name).toUri().toString()).collectAsList()) {
                byte[] f = r.getAs(CanonicalLayout.FEATURES);
                assertEquals(2 * encoding.bytesPerValue(), f.length);
                float[] out = new float[2];
                decoder.decode(f, 0, out, 0);
                byLabelAndX.put((int) Math.round(out[0] * 10), out);
            }
            double tolerance = encoding == FeatureEncoding.FLOAT16 ? 1e-3 : 1e-7;
            assertEquals(-1234.5, byLabelAndX.get(5)[1], 1234.5 * tolerance);
            assertEquals(1e-3, byLabelAndX.get(31)[1], 1e-3 * tolerance * 10);
            assertEquals(7, byLabelAndX.get(20)[1], 7 * tolerance);
        }
    }

    private static Map<String, Object> splits(Map<String, List<Object>> rows) {
        return rows.entrySet().stream().collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().get(2)));
    }
}
