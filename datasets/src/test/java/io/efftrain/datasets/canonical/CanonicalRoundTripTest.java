package io.efftrain.datasets.canonical;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.datasets.feed.ExampleBlocks;
import io.efftrain.datasets.idx.IdxFile;
import io.efftrain.datasets.idx.IdxSource;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CanonicalRoundTripTest {
    private static final int N = 1200;

    @TempDir
    Path dir;

    private static List<IdxSource.SplitFiles> slice() {
        FashionMnist.require();
        return List.of(
                new IdxSource.SplitFiles("train", FashionMnist.TRAIN_IMAGES.toString(),
                        FashionMnist.TRAIN_LABELS.toString(), OptionalLong.of(N)),
                new IdxSource.SplitFiles("test", FashionMnist.TEST_IMAGES.toString(),
                        FashionMnist.TEST_LABELS.toString(), OptionalLong.of(300)));
    }

    @Test
    void idxToParquetAndBackKeepsEveryExample() throws IOException {
        SparkSession spark = LocalSpark.session();
        String path = dir.resolve("table").toUri().toString();
        CanonicalTables.write(CanonicalLayout.assignIds(IdxSource.read(spark, slice(), 10, 500)), path);

        List<Row> train = CanonicalTables.readSplit(spark, path, "train").collectAsList();
        assertEquals(N, train.size());
        assertEquals(300, CanonicalTables.readSplit(spark, path, "test").count());
        Set<String> ids = new HashSet<>();
        train.forEach(r -> ids.add(r.getAs(CanonicalLayout.ID)));
        assertEquals(N, ids.size(), "ids are unique");

        // Every row equals the IDX record it came from, found by its content-derived id.
        java.util.Map<String, Row> byId = new java.util.HashMap<>();
        train.forEach(r -> byId.put(r.getAs(CanonicalLayout.ID), r));
        try (IdxFile images = IdxFile.open("images", Files.newInputStream(FashionMnist.TRAIN_IMAGES));
             IdxFile labels = IdxFile.open("labels", Files.newInputStream(FashionMnist.TRAIN_LABELS))) {
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < N; i++) {
                byte[] pixels = new byte[784];
                images.read(pixels);
                int label = labels.readLabel();
                String hash = ContentHash.of(label, pixels);
                expected.add(hash);
                Row row = byId.get(hash);
                assertEquals(label, (int) row.getAs(CanonicalLayout.LABEL));
                assertArrayEquals(pixels, row.getAs(CanonicalLayout.FEATURES));
                assertEquals("train", row.getAs(CanonicalLayout.SPLIT));
            }
            Set<String> baseIds = new HashSet<>();
            ids.forEach(id -> baseIds.add(id.split("-")[0]));
            assertEquals(expected, baseIds);
        }
    }

    @Test
    void idsAreTheSameOnARerun() {
        SparkSession spark = LocalSpark.session();
        List<String> first = CanonicalLayout.assignIds(IdxSource.read(spark, slice(), 10, 400))
                .select(CanonicalLayout.ID).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        List<String> second = CanonicalLayout.assignIds(IdxSource.read(spark, slice(), 10, 700))
                .select(CanonicalLayout.ID).as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(first, second);
    }

    @Test
    void exactCopiesGetNumberedIds() {
        SparkSession spark = LocalSpark.session();
        Dataset<Row> source = IdxSource.read(spark, slice(), 10, 500);
        Dataset<Row> doubled = source.union(source.withColumn(CanonicalLayout.SOURCE_ORDER,
                source.col(CanonicalLayout.SOURCE_ORDER).plus(1_000_000)));
        List<String> ids = CanonicalLayout.assignIds(doubled).select(CanonicalLayout.ID)
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList();
        assertEquals(ids.size(), new HashSet<>(ids).size());
        assertTrue(ids.get(ids.size() - 1).endsWith("-1"), ids.get(ids.size() - 1));

        // A source of mostly copies numbers them with a Spark window instead of on the driver: the same ids.
        Dataset<Row> byWindow = CanonicalLayout.assignIds(doubled, 0);
        assertEquals(new HashSet<>(ids), new HashSet<>(byWindow.select(CanonicalLayout.ID)
                .as(org.apache.spark.sql.Encoders.STRING()).collectAsList()));
        assertEquals(doubled.count(), byWindow.count());
    }

    @Test
    void blocksHoldEveryExampleOncePerPartition() {
        SparkSession spark = LocalSpark.session();
        String path = dir.resolve("blocks").toUri().toString();
        CanonicalTables.write(CanonicalLayout.assignIds(IdxSource.read(spark, slice(), 10, 500)), path);
        List<ExampleBlock> blocks = ExampleBlocks.of(CanonicalTables.readSplit(spark, path, "train"), 3).collect();
        assertEquals(3, blocks.size());
        assertEquals(N, blocks.stream().mapToInt(ExampleBlock::size).sum());
        assertEquals(784, blocks.get(0).featureSize());
    }

    @Test
    void aFailedWriteLeavesNoTableAndAnExistingTableIsKept() throws IOException {
        SparkSession spark = LocalSpark.session();
        Path table = dir.resolve("kept");
        String path = table.toUri().toString();
        CanonicalTables.write(CanonicalLayout.assignIds(IdxSource.read(spark, slice(), 10, 500)), path);
        long before = Files.walk(table).count();
        EfftrainException e = assertThrows(EfftrainException.class, () ->
                CanonicalTables.write(CanonicalLayout.assignIds(IdxSource.read(spark, slice(), 10, 500)), path));
        assertEquals(ExitCode.ALREADY_DONE, e.exitCode());
        assertEquals(before, Files.walk(table).count());

        List<IdxSource.SplitFiles> badLabels = List.of(new IdxSource.SplitFiles("train",
                FashionMnist.TRAIN_IMAGES.toString(), FashionMnist.TRAIN_LABELS.toString(), OptionalLong.of(N)));
        Path failed = dir.resolve("failed");
        Exception failure = assertThrows(Exception.class, () -> CanonicalTables.write(
                CanonicalLayout.assignIds(IdxSource.read(spark, badLabels, 5, 500)), failed.toUri().toString()));
        // Spark may wrap the task's error ("Multiple failures in stage materialization"): it is in the causes.
        boolean named = false;
        for (Throwable t = failure; t != null && !named; t = t.getCause()) {
            named = String.valueOf(t.getMessage()).contains("labels must be 0 to 4");
        }
        assertTrue(named, failure.toString());
        assertFalse(Files.exists(failed));
        assertFalse(Files.exists(dir.resolve("failed.tmp")));
        assertFalse(Files.exists(dir.resolve(".failed.lock")), "the lock is released on failure");
    }

    @Test
    void aFolderEfftrainDidNotMakeIsNeverReplacedEvenWithOverwrite() throws IOException {
        SparkSession spark = LocalSpark.session();
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Files.writeString(theirs.resolve("precious.txt"), "precious");
        EfftrainException e = assertThrows(EfftrainException.class, () -> CanonicalTables.write(
                CanonicalLayout.assignIds(IdxSource.read(spark, slice(), 10, 500)), theirs.toUri().toString(), true,
                tmp -> { }));
        assertEquals(ExitCode.ALREADY_DONE, e.exitCode());
        assertTrue(e.getMessage().contains("did not make"), e.getMessage());
        assertEquals("precious", Files.readString(theirs.resolve("precious.txt")));
        assertEquals(1, Files.list(theirs).count());
        assertFalse(Files.exists(dir.resolve("theirs.tmp")));
    }
}
