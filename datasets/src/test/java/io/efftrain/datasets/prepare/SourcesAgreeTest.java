package io.efftrain.datasets.prepare;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same Fashion-MNIST images reached through IDX, an image folder, a CSV file and a lake Parquet table give
 * the same canonical rows: same ids, labels, features and splits.
 */
class SourcesAgreeTest {
    @TempDir
    static Path dir;
    static Map<String, List<Object>> fromIdx;
    static TableManifest idxManifest;

    @BeforeAll
    static void prepareFromIdx() {
        FashionMnist.require();
        idxManifest = TestSources.prepare(dir.resolve("idx"), TestSources.idxTrainLimit(), TestSources.idxTestLimit());
        fromIdx = TestSources.rows(dir.resolve("idx"));
    }

    @Test
    void idxTableHasTheSliceAndAManifestThatDescribesIt() throws Exception {
        assertEquals(TestSources.TRAIN + TestSources.TEST, fromIdx.size());
        assertEquals(Map.of("train", (long) TestSources.TRAIN, "test", (long) TestSources.TEST), idxManifest.countsBySplit());
        assertArrayEquals(new int[] {1, 28, 28}, idxManifest.shape());
        assertEquals(FeatureEncoding.UINT8, idxManifest.encoding());
        assertEquals("Ankle boot", idxManifest.classNames().get(9));
        assertEquals(TestSources.TRAIN, idxManifest.countsByClass().get("train").values().stream()
                .mapToLong(Long::longValue).sum());
        assertEquals(TestSources.TRAIN, idxManifest.trainStatistics().count(), "statistics come from train only");
        Map<String, Object> trainImages = idxManifest.sources().get("train-images");
        assertEquals(Files.size(FashionMnist.TRAIN_IMAGES), ((Number) trainImages.get("bytes")).longValue());
        assertEquals(sha256(FashionMnist.TRAIN_IMAGES), trainImages.get("sha256"));
        // The manifest is committed with the table and reads back equal.
        TableManifest read = TableManifest.read(dir.resolve("idx").toUri().toString(),
                new org.apache.hadoop.conf.Configuration());
        assertEquals(idxManifest.countsByClass(), read.countsByClass());
        assertArrayEquals(idxManifest.trainStatistics().mean(), read.trainStatistics().mean());
    }

    @Test
    void imageFolderGivesTheSameRows() {
        Path images = dir.resolve("images");
        TestSources.writeImages(images.resolve("train"), TestSources.train());
        TestSources.writeImages(images.resolve("test"), TestSources.test());
        TableManifest manifest = TestSources.prepare(dir.resolve("from-images"), "data.source=images",
                "data.images.train=\"" + images.resolve("train") + "\"",
                "data.images.test=\"" + images.resolve("test") + "\"");
        assertEquals(fromIdx, TestSources.rows(dir.resolve("from-images")));
        assertEquals(idxManifest.countsByClass(), manifest.countsByClass());
        assertEquals(TestSources.TRAIN, ((Number) manifest.sources().get("train").get("files")).intValue());
    }

    @Test
    void csvGivesTheSameRows() {
        Path train = TestSources.writeCsv(dir.resolve("train.csv"), TestSources.train());
        Path test = TestSources.writeCsv(dir.resolve("test.csv"), TestSources.test());
        TestSources.prepare(dir.resolve("from-csv"), "data.source=csv", "data.csv.train=\"" + train + "\"",
                "data.csv.test=\"" + test + "\"", "data.shape=[1,28,28]");
        assertEquals(fromIdx, TestSources.rows(dir.resolve("from-csv")));
    }

    @Test
    void lakeParquetWithMappedColumnsGivesTheSameRows() {
        Path train = TestSources.writeParquet(dir.resolve("lake-train"), TestSources.train());
        Path test = TestSources.writeParquet(dir.resolve("lake-test"), TestSources.test());
        TestSources.prepare(dir.resolve("from-parquet"), "data.source=parquet",
                "data.parquet.train=\"" + train + "\"", "data.parquet.test=\"" + test + "\"",
                "data.parquet.label-column=y", "data.parquet.features-column=pixels", "data.shape=[1,28,28]");
        assertEquals(fromIdx, TestSources.rows(dir.resolve("from-parquet")));
    }

    @Test
    void rerunGivesTheSameIds() {
        TestSources.prepare(dir.resolve("idx-again"), TestSources.idxTrainLimit(), TestSources.idxTestLimit());
        assertEquals(fromIdx, TestSources.rows(dir.resolve("idx-again")));
        assertTrue(fromIdx.keySet().stream().allMatch(id -> id.matches("[0-9a-f]{16}(-\\d+)?")));
    }

    private static String sha256(Path file) throws IOException, java.security.NoSuchAlgorithmException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        }
    }
}
