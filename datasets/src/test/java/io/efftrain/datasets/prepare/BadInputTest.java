package io.efftrain.datasets.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every kind of bad input gets its own clear error (naming the file, row or key), a failure exit code, and
 * leaves no partial output behind. One case per kind.
 */
class BadInputTest {
    @TempDir
    Path dir;

    /**
     * @param name what is wrong
     * @param setup writes the bad input into the directory and returns the config overrides that point at it
     * @param code the exit code the failure maps to
     * @param fragments what the message must say
     */
    record Case(String name, Function<Path, List<String>> setup, ExitCode code, List<String> fragments) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("missing file", d -> idx(d.resolve("nope.gz").toString(), labels(d, 10)),
                        ExitCode.BAD_INPUT, List.of("nope.gz", "does not exist")),
                new Case("unreadable file (a directory)", d -> idx(mkdir(d.resolve("images.gz")), labels(d, 10)),
                        ExitCode.BAD_INPUT, List.of("images.gz", "is a directory")),
                new Case("truncated gzip", d -> {
                    byte[] whole = gzip(idxImages(10, 28, 28));
                    return idx(write(d.resolve("cut.gz"), java.util.Arrays.copyOf(whole, whole.length / 2)),
                            labels(d, 10));
                }, ExitCode.BAD_INPUT, List.of("cut.gz", "truncated")),
                new Case("corrupt gzip", d -> {
                    byte[] bytes = gzip(idxImages(200, 28, 28));
                    for (int i = 40; i < bytes.length - 20; i += 7) {
                        bytes[i] ^= 0x5A;
                    }
                    return idx(write(d.resolve("corrupt.gz"), bytes), labels(d, 200));
                }, ExitCode.BAD_INPUT, List.of("corrupt.gz", "corrupt gzip")),
                new Case("corrupt gzip past what a limit reads", d -> {
                    byte[] bytes = read(FashionMnist.TRAIN_IMAGES);
                    for (int i = 50_000; i < 50_400; i++) {
                        bytes[i] ^= 0x5A;
                    }
                    List<String> o = new ArrayList<>(idx(write(d.resolve("flipped.gz"), bytes),
                            FashionMnist.TRAIN_LABELS.toString()));
                    o.add("data.train-limit=2000");
                    return o;
                }, ExitCode.BAD_INPUT, List.of("flipped.gz", "corrupt gzip")),
                new Case("IDX longer than its header", d -> {
                    byte[] bytes = java.util.Arrays.copyOf(idxImages(10, 28, 28), 16 + 11 * 784);
                    return idx(write(d.resolve("long.idx"), bytes), labels(d, 10));
                }, ExitCode.BAD_INPUT, List.of("long.idx", "784 bytes follow the 10 records")),
                new Case("raw IDX truncated past a limit", d -> {
                    byte[] bytes = java.util.Arrays.copyOf(idxImages(10, 28, 28), 16 + 5 * 784);
                    List<String> o = new ArrayList<>(idx(write(d.resolve("short.idx"), bytes), labels(d, 10)));
                    o.add("data.train-limit=3");
                    return o;
                }, ExitCode.BAD_INPUT, List.of("short.idx", "truncated", "record 5")),
                new Case("wrong IDX magic", d -> {
                    byte[] bytes = idxImages(10, 28, 28);
                    bytes[0] = 0x50;
                    return idx(write(d.resolve("magic.idx"), bytes), labels(d, 10));
                }, ExitCode.BAD_INPUT, List.of("magic.idx", "not an IDX file")),
                new Case("wrong IDX dimensions", d -> idx(labels(d, 10), labels(d, 10)),
                        ExitCode.BAD_INPUT, List.of("labels.idx", "3 or 4 dimensions")),
                new Case("image and label counts differ", d -> idx(write(d.resolve("images.idx"), idxImages(12, 28, 28)),
                        labels(d, 10)), ExitCode.BAD_INPUT, List.of("12 images", "10 labels")),
                new Case("undecodable image", d -> {
                    Path train = d.resolve("img");
                    TestSources.writeImages(train, FashionMnist.block(true, 20));
                    write(train.resolve("3/broken.png"), "not an image".getBytes(StandardCharsets.UTF_8));
                    return List.of("data.source=images", "data.images.train=\"" + train + "\"");
                }, ExitCode.BAD_INPUT, List.of("broken.png", "not a PNG or JPEG")),
                new Case("wrongly shaped image", d -> {
                    Path train = d.resolve("img");
                    TestSources.writeImages(train, FashionMnist.block(true, 20));
                    return List.of("data.source=images", "data.images.train=\"" + train + "\"",
                            "data.images.height=32");
                }, ExitCode.BAD_INPUT, List.of(".png", "is 28x28", "expected 28x32", "resize")),
                new Case("ragged CSV row", d -> csv(d, "1,2,3\n4,5\n"),
                        ExitCode.BAD_INPUT, List.of("data.csv", "line 3", "2 fields", "3 columns")),
                new Case("non-numeric CSV value", d -> csv(d, "1,2,3\n4,abc,6\n"),
                        ExitCode.BAD_INPUT, List.of("data.csv", "line 3", "column 'a'", "'abc' is not a number")),
                new Case("label out of range", d -> csv(d, "1,2,3\n10,5,6\n"),
                        ExitCode.BAD_INPUT, List.of("data.csv", "line 3", "column 'label'", "label 10 is out of range")),
                new Case("label not an integer", d -> csv(d, "1,2,3\n2.5,5,6\n"),
                        ExitCode.BAD_INPUT, List.of("data.csv", "line 3", "'2.5' is not a whole number")),
                new Case("NaN feature", d -> csv(d, "1,2,3\n4,NaN,6\n"),
                        ExitCode.BAD_INPUT, List.of("data.csv", "line 3", "column 'a'", "not a finite number")),
                new Case("infinite feature (Parquet)", d -> {
                    Path lake = d.resolve("lake");
                    StructType schema = new StructType().add("label", DataTypes.IntegerType)
                            .add("features", DataTypes.createArrayType(DataTypes.DoubleType));
                    LocalSpark.session().createDataFrame(List.of(RowFactory.create(1, List.of(1.0, 2.0)),
                            RowFactory.create(2, List.of(Double.POSITIVE_INFINITY, 2.0))), schema)
                            .coalesce(1).write().parquet(lake.toString());
                    return List.of("data.source=parquet", "data.parquet.train=\"" + lake + "\"",
                            "data.feature-encoding=float32");
                }, ExitCode.BAD_INPUT, List.of("part-", "row 1", "column 'features'", "not a finite number")),
                new Case("CSV given as Parquet", d -> {
                    csv(d, "1,2,3\n4,5,6\n");
                    return List.of("data.source=parquet", "data.parquet.train=\"" + d.resolve("data.csv") + "\"");
                }, ExitCode.BAD_INPUT, List.of("data.csv", "cannot be read as Parquet", "data.source = csv")),
                new Case("Parquet files with 4 and 784 features", d -> {
                    Path lake = d.resolve("lake");
                    StructType schema = new StructType().add("label", DataTypes.IntegerType)
                            .add("features", DataTypes.createArrayType(DataTypes.DoubleType));
                    List<Double> four = List.of(1.0, 2.0, 3.0, 4.0);
                    List<Double> wide = java.util.Collections.nCopies(784, 0.5);
                    LocalSpark.session().createDataFrame(List.of(RowFactory.create(1, four),
                            RowFactory.create(2, four)), schema).coalesce(1).write().parquet(lake.toString());
                    LocalSpark.session().createDataFrame(List.of(RowFactory.create(1, wide),
                            RowFactory.create(2, wide)), schema).coalesce(1).write().mode("append")
                            .parquet(lake.toString());
                    return List.of("data.source=parquet", "data.parquet.train=\"" + lake + "\"",
                            "data.feature-encoding=float32");
                }, ExitCode.BAD_INPUT, List.of("part-", "column 'features'", "values, expected",
                        "the table's first row")),
                new Case("empty input", d -> csv(d, ""),
                        ExitCode.BAD_INPUT, List.of("data.csv", "header but no rows")),
                new Case("duplicate ids", d -> {
                    Path lake = d.resolve("lake");
                    StructType schema = new StructType().add("key", DataTypes.StringType)
                            .add("label", DataTypes.IntegerType).add("features", DataTypes.BinaryType);
                    LocalSpark.session().createDataFrame(List.of(RowFactory.create("a", 1, new byte[] {1, 2}),
                            RowFactory.create("b", 2, new byte[] {3, 4}), RowFactory.create("a", 3, new byte[] {5, 6})),
                            schema).coalesce(1).write().parquet(lake.toString());
                    return List.of("data.source=parquet", "data.parquet.train=\"" + lake + "\"",
                            "data.parquet.id-column=key");
                }, ExitCode.BAD_INPUT, List.of("ids must be unique", "'a' (2 rows)")),
                new Case("shapes differ between splits", d -> {
                    List<String> o = new ArrayList<>(csv(d, "1,2,3\n4,5,6\n"));
                    o.add("data.csv.test=\"" + write(d.resolve("test.csv"),
                            "label,a\n1,2\n".getBytes(StandardCharsets.UTF_8)) + "\"");
                    return o;
                }, ExitCode.BAD_INPUT, List.of("test.csv", "feature columns (1: a)", "differ", "(2: a, b)")),
                new Case("missing CSV value", d -> csv(d, "1,2,3\n4,,6\n"),
                        ExitCode.BAD_INPUT, List.of("data.csv", "line 3", "column 'a'", "missing", "fill-missing")),
                new Case("value outside the encoding", d -> csv(d, "1,2,3\n4,300,6\n"),
                        ExitCode.BAD_INPUT, List.of("line 3", "300 is not a whole number from 0 to 255", "float16")),
                new Case("unknown config key", d -> List.of("data.csv.delimeter=\";\""),
                        ExitCode.BAD_CONFIG, List.of("data.csv.delimeter", "delimiter")),
                new Case("config value of the wrong type", d -> List.of("data.images.height=tall"),
                        ExitCode.BAD_CONFIG, List.of("data.images.height", "whole number", "tall")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void badInputFailsClearlyAndLeavesNoOutput(Case c) {
        FashionMnist.require();
        Path table = dir.resolve("table");
        EfftrainException error = known(assertThrows(Exception.class,
                () -> TestSources.prepare(table, c.setup().apply(dir).toArray(String[]::new))));
        assertEquals(c.code(), error.exitCode(), error.getMessage());
        assertTrue(error.exitCode().code() != 0);
        for (String fragment : c.fragments()) {
            assertTrue(error.getMessage().contains(fragment), "'" + fragment + "' missing from: " + error.getMessage());
        }
        assertFalse(Files.exists(table), "no table after a failure");
        assertFalse(Files.exists(dir.resolve("table.tmp")), "no temporary output after a failure");
    }

    @Test
    void aFailedOverwriteLeavesTheEarlierTableIntact() {
        FashionMnist.require();
        Path table = dir.resolve("table");
        TableManifest first = TestSources.prepare(table, "data.train-limit=50", "data.test-limit=10");
        var before = TestSources.rows(table);
        List<String> bad = new ArrayList<>(csv(dir, "1,2,3\n4,abc,6\n"));
        Exception failure = assertThrows(Exception.class, () -> TablePreparer.prepare(
                LocalSpark.session(), TestSources.data(bad.toArray(String[]::new)), 42, table.toUri().toString(), true));
        assertNotNull(known(failure));
        assertEquals(before, TestSources.rows(table));
        assertEquals(first.countsBySplit(), TableManifest.read(table.toUri().toString(),
                new org.apache.hadoop.conf.Configuration()).countsBySplit());
    }

    @Test
    void anExistingTableIsNotOverwrittenWithoutBeingAsked() {
        FashionMnist.require();
        Path table = dir.resolve("table");
        TestSources.prepare(table, "data.train-limit=50", "data.test-limit=10");
        EfftrainException error = known(assertThrows(Exception.class,
                () -> TestSources.prepare(table, "data.train-limit=60", "data.test-limit=10")));
        assertEquals(ExitCode.ALREADY_DONE, error.exitCode());
        assertTrue(error.getMessage().contains("--overwrite"), error.getMessage());
    }

    /** Spark wraps failures of tasks; the cause chain still holds efftrain's own error. */
    static EfftrainException known(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof EfftrainException e) {
                return e;
            }
        }
        throw new AssertionError("no EfftrainException in the cause chain", failure);
    }

    private static List<String> idx(String images, String labels) {
        return List.of("data.idx.train-images=\"" + images + "\"", "data.idx.train-labels=\"" + labels + "\"",
                "data.idx.test-images=\"" + images + "\"", "data.idx.test-labels=\"" + labels + "\"");
    }

    private static List<String> csv(Path d, String rows) {
        Path file = d.resolve("data.csv");
        write(file, ("label,a,b\n" + rows).getBytes(StandardCharsets.UTF_8));
        return List.of("data.source=csv", "data.csv.train=\"" + file + "\"");
    }

    private static String labels(Path d, int n) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000801);
            out.writeInt(n);
            for (int i = 0; i < n; i++) {
                out.writeByte(i % 10);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return write(d.resolve("labels.idx"), bytes.toByteArray());
    }

    private static byte[] idxImages(int n, int rows, int cols) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(0x00000803);
            out.writeInt(n);
            out.writeInt(rows);
            out.writeInt(cols);
            java.util.Random random = new java.util.Random(7);
            byte[] pixels = new byte[n * rows * cols];
            random.nextBytes(pixels);
            out.write(pixels);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = new GZIPOutputStream(bytes)) {
            out.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String mkdir(Path p) {
        try {
            Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return p.toString();
    }

    private static String write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toString();
    }
}
