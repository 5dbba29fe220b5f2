package io.efftrain.datasets.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A seeded corrupter flips, truncates and splices the bytes of each kind of input (gzip IDX, PNG, CSV, Parquet),
 * and {@code prepare} must then either fail with a clear error (bad input, exit 4, or a shape that disagrees with
 * the config, exit 3; never an internal failure, exit 1) or, where the corruption left the data as it was (a gzip
 * header's timestamp, a PNG's ancillary chunk), produce the clean table. Formats with checksums (gzip, PNG's chunk
 * CRCs, Parquet behind Hadoop's checksum files) must never yield different data; CSV has no checksum, so a changed
 * digit is different data that nothing can tell from real data: for CSV only the exit code is checked.
 */
class CorruptInputFuzzTest {
    private static final int EXAMPLES = 40;
    private static final int CASES_PER_FORMAT = 8;

    /** The clean table of each format, prepared once: the ids and contents do not depend on where it lies. */
    private static final Map<Format, Map<String, List<Object>>> CLEAN = new java.util.EnumMap<>(Format.class);

    @TempDir
    Path dir;

    enum Format { IDX_GZ, PNG, CSV, PARQUET }

    enum Damage { FLIP, TRUNCATE, SPLICE }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Format format : Format.values()) {
            for (int seed = 0; seed < CASES_PER_FORMAT; seed++) {
                all.add(Arguments.of(format, Damage.values()[seed % 3], seed));
            }
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} {1} seed {2}")
    @MethodSource("cases")
    void corruptedInputIsBadInputOrTheSameData(Format format, Damage damage, int seed) throws IOException {
        FashionMnist.require();
        ExampleBlock block = FashionMnist.block(true, EXAMPLES);
        Path broken = Files.createDirectories(dir.resolve("broken"));
        if (!CLEAN.containsKey(format)) {
            Input cleanInput = write(format, Files.createDirectories(dir.resolve("clean")), block);
            CLEAN.put(format, TestSources.rows(prepareOrFail(dir.resolve("clean-table"), cleanInput.settings())));
        }
        Map<String, List<Object>> expected = CLEAN.get(format);

        Input brokenInput = write(format, broken, block);
        byte[] bytes = Files.readAllBytes(brokenInput.target());
        byte[] damaged = damage(bytes, damage, new SplittableRandom(seed * 7919L + format.ordinal()));
        Files.write(brokenInput.target(), damaged);

        Path table = dir.resolve("broken-table");
        try {
            TestSources.prepare(table, brokenInput.settings().toArray(String[]::new));
        } catch (Exception failure) {
            EfftrainException known = BadInputTest.known(failure);
            // A damaged CSV header can read as another shape, which efftrain reports against data.shape (exit 3).
            assertTrue(known.exitCode() == ExitCode.BAD_INPUT || known.exitCode() == ExitCode.BAD_CONFIG,
                    known.exitCode() + ": " + known.getMessage());
            assertFalse(Files.exists(table), "no table after a failure");
            assertFalse(Files.exists(dir.resolve("broken-table.tmp")), "no temporary copy after a failure");
            return;
        }
        if (format != Format.CSV) {
            assertEquals(expected, TestSources.rows(table), format + " " + damage + " seed " + seed
                    + ": a corrupted input was prepared into different data");
        }
    }

    private Path prepareOrFail(Path table, List<String> settings) {
        try {
            TestSources.prepare(table, settings.toArray(String[]::new));
            return table;
        } catch (RuntimeException e) {
            fail("the clean input must prepare", e);
            return null;
        }
    }

    /** @param target the file the corrupter damages; @param settings the config that reads the input */
    private record Input(Path target, List<String> settings) {
    }

    private static Input write(Format format, Path d, ExampleBlock block) throws IOException {
        return switch (format) {
            case IDX_GZ -> {
                Path images = Files.write(d.resolve("images.gz"), BadInputTest.gzip(idxImages(block)));
                Path labels = Files.write(d.resolve("labels.gz"), BadInputTest.gzip(idxLabels(block)));
                yield new Input(images, idx(images, labels));
            }
            case PNG -> {
                Path folder = TestSources.writeImages(d.resolve("img"), block);
                Path target;
                try (Stream<Path> files = Files.walk(folder)) {
                    target = files.filter(p -> p.toString().endsWith(".png")).sorted().findFirst().orElseThrow();
                }
                yield new Input(target, List.of("data.source=images", "data.images.train=\"" + folder + "\""));
            }
            case CSV -> {
                Path csv = TestSources.writeCsv(d.resolve("data.csv"), block);
                yield new Input(csv, List.of("data.source=csv", "data.csv.train=\"" + csv + "\"",
                        "data.shape=[1,28,28]"));
            }
            case PARQUET -> {
                Path lake = TestSources.writeParquet(d.resolve("lake"), block);
                Path part;
                try (Stream<Path> files = Files.list(lake)) {
                    part = files.filter(p -> p.getFileName().toString().startsWith("part-")
                            && p.toString().endsWith(".parquet")).sorted().findFirst().orElseThrow();
                }
                yield new Input(part, List.of("data.source=parquet", "data.parquet.train=\"" + lake + "\"",
                        "data.parquet.label-column=y", "data.parquet.features-column=pixels",
                        "data.shape=[1,28,28]"));
            }
        };
    }

    private static byte[] damage(byte[] bytes, Damage damage, SplittableRandom random) {
        return switch (damage) {
            case FLIP -> {
                byte[] out = bytes.clone();
                int at = random.nextInt(out.length);
                int length = 1 + random.nextInt(Math.min(64, out.length - at));
                for (int i = at; i < at + length; i++) {
                    out[i] ^= (byte) (1 + random.nextInt(255));
                }
                yield out;
            }
            case TRUNCATE -> Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case SPLICE -> {
                int from = random.nextInt(bytes.length);
                int length = 1 + random.nextInt(Math.min(256, bytes.length - from));
                int to = random.nextInt(bytes.length);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                out.write(bytes, 0, to);
                out.write(bytes, from, length);
                out.write(bytes, to, bytes.length - to);
                yield out.toByteArray();
            }
        };
    }

    private static List<String> idx(Path images, Path labels) {
        return List.of("data.idx.train-images=\"" + images + "\"", "data.idx.train-labels=\"" + labels + "\"",
                "data.idx.test-images=\"" + images + "\"", "data.idx.test-labels=\"" + labels + "\"");
    }

    private static byte[] idxImages(ExampleBlock block) {
        return idx(0x00000803, block, true);
    }

    private static byte[] idxLabels(ExampleBlock block) {
        return idx(0x00000801, block, false);
    }

    private static byte[] idx(int magic, ExampleBlock block, boolean images) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            out.writeInt(block.size());
            if (images) {
                out.writeInt(28);
                out.writeInt(28);
            }
            for (int i = 0; i < block.size(); i++) {
                if (images) {
                    out.write(TestSources.pixels(block, i));
                } else {
                    out.writeByte(block.label(i));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
