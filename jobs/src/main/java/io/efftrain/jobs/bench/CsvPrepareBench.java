package io.efftrain.jobs.bench;

import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.prepare.TablePreparer;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * {@code prepare} of a tabular CSV against plain Spark doing the same I/O in the same JVM and session: read the
 * CSV with its schema given, write Parquet. What prepare adds (content ids, validation of every value, a held-out
 * split, the manifest with counts and statistics) is what the ratio prices. The CSV is generated: a label and 16
 * whole-number features per row, seeded.
 */
final class CsvPrepareBench {
    private static final int FEATURES = 16;
    private static final int ROUNDS = 2;

    private CsvPrepareBench() {
    }

    static Map<String, Object> run(SparkSession spark, Path configFile, List<String> overrides, Path dir, long rows,
                                   Ticker ticker, PrintStream progress) {
        Path csv = dir.resolve("tabular.csv");
        writeCsv(csv, rows, 7);
        StructType schema = new StructType().add("label", DataTypes.IntegerType);
        for (int j = 0; j < FEATURES; j++) {
            schema = schema.add("f" + j, DataTypes.IntegerType);
        }
        List<String> settings = new ArrayList<>(overrides);
        settings.addAll(List.of("data.source=csv", "data.csv.train=\"" + csv.toUri() + "\"", "data.classes=null",
                "data.class-names=null", "data.split.test=0.1", "data.train-limit=null", "data.test-limit=null"));
        EfftrainConfig config = ConfigLoader.load(configFile, settings);
        double plainBest = Double.MAX_VALUE;
        double prepareBest = Double.MAX_VALUE;
        // Alternating rounds, best of each: the first round also warms up both paths.
        for (int round = 0; round < ROUNDS; round++) {
            Stopwatch t = Stopwatch.start(ticker);
            spark.read().option("header", "true").schema(schema).csv(csv.toUri().toString())
                    .write().parquet(dir.resolve("plain-" + round).toUri().toString());
            plainBest = Math.min(plainBest, t.seconds());
            t = Stopwatch.start(ticker);
            TableManifest manifest = TablePreparer.prepare(spark, config.data(), config.run().seed(),
                    dir.resolve("prepared-" + round).toUri().toString(), false);
            prepareBest = Math.min(prepareBest, t.seconds());
            if (manifest.countsBySplit().values().stream().mapToLong(Long::longValue).sum() != rows) {
                throw new IllegalStateException("prepare kept " + manifest.countsBySplit() + " of " + rows + " rows");
            }
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("rows", rows);
        out.put("columns", FEATURES + 1);
        out.put("csv_mb", size(csv) / 1e6);
        out.put("plain_spark_seconds", plainBest);
        out.put("prepare_seconds", prepareBest);
        out.put("plain_spark_rows_per_s", rows / plainBest);
        out.put("prepare_rows_per_s", rows / prepareBest);
        out.put("prepare_vs_plain_spark", plainBest / prepareBest);
        progress.printf(Locale.ROOT, "[bench data] CSV of %d rows (%.0f MB) to Parquet: plain Spark %.1f s (%.0f rows/s), "
                + "prepare %.1f s (%.0f rows/s): %.2fx plain Spark's rate (best of %d)%n", rows, size(csv) / 1e6,
                plainBest, rows / plainBest, prepareBest, rows / prepareBest, plainBest / prepareBest, ROUNDS);
        return out;
    }

    private static void writeCsv(Path csv, long rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        try (BufferedWriter out = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder("label");
            for (int j = 0; j < FEATURES; j++) {
                line.append(",f").append(j);
            }
            out.write(line.append('\n').toString());
            for (long i = 0; i < rows; i++) {
                line.setLength(0);
                int label = random.nextInt(10);
                line.append(label);
                for (int j = 0; j < FEATURES; j++) {
                    // Features that depend on the label, so the table is learnable, not noise.
                    line.append(',').append(Math.min(255, random.nextInt(200) + (j == label ? 55 : 0)));
                }
                out.write(line.append('\n').toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + csv, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
