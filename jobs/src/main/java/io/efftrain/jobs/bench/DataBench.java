package io.efftrain.jobs.bench;

import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.feed.CanonicalDataSetIterator;
import io.efftrain.datasets.prepare.TablePreparer;
import io.efftrain.jobs.HostCpu;
import io.efftrain.jobs.PreparedData;
import io.efftrain.jobs.SparkSessions;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.run.RunDirectory;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.network.Network;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@code efftrain bench data}: how fast prepare turns the configured source into a table, how compact the
 * table is against float32, and whether the single-JVM loader keeps ahead of training: its delivery rate is
 * measured against the rate at which the configured model consumes the same minibatches, in the same run.
 */
public final class DataBench {
    private static final int CONSUME_STEPS = 60;

    private DataBench() {
    }

    /**
     * @param scaleHeapMb the heap of the scale benchmark's child runs (their table is four times larger), or 0 to
     *     skip the training-input half
     * @param scaleSamples samples each scale run trains
     * @param csvRows rows of the generated CSV prepared against plain Spark, or 0 to skip it
     */
    public static Map<String, Object> run(Path configFile, List<String> overrides, int scaleHeapMb, long scaleSamples,
                                          long csvRows, Ticker ticker, PrintStream progress) {
        EfftrainConfig config = ConfigLoader.load(configFile, overrides);
        SparkSession spark = SparkSessions.start("efftrain bench data", config.spark());
        Path dir = tempDir();
        try {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("cpu", HostCpu.ofThisMachine().toJson());
            String table = dir.resolve("table").toUri().toString();
            Stopwatch start = Stopwatch.start(ticker);
            TableManifest manifest = TablePreparer.prepare(spark, config.data(), config.run().seed(), table, false);
            double prepareSeconds = start.seconds();
            long rows = manifest.countsBySplit().values().stream().mapToLong(Long::longValue).sum();
            long sourceBytes = manifest.sources().values().stream()
                    .mapToLong(s -> ((Number) s.get("bytes")).longValue()).sum();
            long pixels = rows * manifest.featureSize();
            out.put("source", manifest.source());
            out.put("examples", rows);
            out.put("prepare_seconds", prepareSeconds);
            out.put("prepare_rows_per_s", rows / prepareSeconds);
            out.put("prepare_source_mb_per_s", sourceBytes / 1e6 / prepareSeconds);
            out.put("prepare_decoded_mb_per_s", pixels * (double) manifest.encoding().bytesPerValue() / 1e6
                    / prepareSeconds);
            progress.printf(Locale.ROOT, "[bench data] prepare: %d examples in %.1f s = %.0f rows/s, %.1f MB/s of "
                    + "source files%n", rows, prepareSeconds, rows / prepareSeconds, sourceBytes / 1e6 / prepareSeconds);

            long trainBytes = parquetBytes(dir.resolve("table").resolve("split=train"));
            long trainRows = manifest.countsBySplit().get("train");
            double perExample = trainBytes / (double) trainRows;
            double float32 = manifest.featureSize() * 4.0;
            out.put("train_bytes_on_disk", trainBytes);
            out.put("bytes_per_example", perExample);
            out.put("bytes_per_feature", perExample / manifest.featureSize());
            out.put("float32_bytes_per_example", float32);
            out.put("size_vs_float32", perExample / float32);
            progress.printf(Locale.ROOT, "[bench data] train split on disk: %.1f bytes/example = %.3f bytes/feature "
                    + "(float32 would be %.0f: %.1f%%)%n", perExample, perExample / manifest.featureSize(), float32,
                    100 * perExample / float32);

            int batch = config.train().batchSize();
            Configuration hadoop = spark.sparkContext().hadoopConfiguration();
            double delivery;
            long delivered = 0;
            try (CanonicalDataSetIterator it = new CanonicalDataSetIterator(table, "train", batch, 8192, 16,
                    config.run().seed(), hadoop)) {
                Stopwatch t = Stopwatch.start(ticker);
                while (it.hasNext()) {
                    delivered += it.next().numExamples();
                }
                delivery = delivered / (t.seconds());
            }
            out.put("loader_samples_per_s", delivery);
            progress.printf(Locale.ROOT, "[bench data] loader: %d examples, %.0f samples/s (prefetch thread, "
                    + "shuffle buffer 8192)%n", delivered, delivery);

            Trainer trainer = new Trainer(config, new PreparedData(table, manifest).shape(),
                    manifest.classNames().size());
            Network net = trainer.newNetwork();
            double consumption;
            try (CanonicalDataSetIterator it = new CanonicalDataSetIterator(table, "train", batch, 8192, 16,
                    config.run().seed(), hadoop)) {
                for (int i = 0; i < CONSUME_STEPS / 3; i++) {
                    net.fit(it.next()); // warm-up: native kernels, allocations
                }
                long samples = 0;
                Stopwatch t = Stopwatch.start(ticker);
                for (int i = 0; i < CONSUME_STEPS; i++) {
                    DataSet minibatch = it.next();
                    net.fit(minibatch);
                    samples += minibatch.numExamples();
                }
                consumption = samples / (t.seconds());
            }
            out.put("training_samples_per_s", consumption);
            out.put("loader_vs_training", delivery / consumption);
            progress.printf(Locale.ROOT, "[bench data] training (%s, batch %d, this JVM): %.0f samples/s; the loader "
                    + "delivers %.1fx that%n", config.model().type().name().toLowerCase(Locale.ROOT), batch,
                    consumption, delivery / consumption);
            out.put("dedup", DedupBench.run(spark, config, table, dir, ticker, progress));
            if (csvRows > 0) {
                out.put("csv", CsvPrepareBench.run(spark, configFile, overrides, dir, csvRows, ticker, progress));
            }
            if (scaleHeapMb > 0) {
                out.put("feed", FeedBench.run(spark, configFile, overrides, table, manifest, dir, scaleHeapMb,
                        scaleSamples, ticker, progress));
            }
            return out;
        } finally {
            try {
                RunDirectory.deleteRecursively(dir);
            } catch (IOException e) {
                progress.println("[bench data] could not remove " + dir + ": " + e.getMessage());
            }
        }
    }

    private static long parquetBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".parquet")).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).sum();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("efftrain-bench-data");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
