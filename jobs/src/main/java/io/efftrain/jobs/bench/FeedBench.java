package io.efftrain.jobs.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.run.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * The training-input half of {@code bench data}: spilled (streamed from local disk) against in-memory blocks.
 * <ul>
 *   <li>Scale: in child JVMs of the same small heap, the same model and number of samples trains on the prepared
 *       table (blocks on the heap) and on a table of at least four times the heap, made by {@link ReplicatedTable}
 *       (blocks spilled); samples/s of both, and the children's memory peaks.</li>
 *   <li>Accuracy: the configured run on the prepared table with blocks on the heap, spilled with the default
 *       shuffle window (the whole block, the same draws), and spilled with a small window.</li>
 * </ul>
 */
final class FeedBench {
    /** A small window, against which the default's "no accuracy cost" is measured. */
    private static final int SMALL_WINDOW = 4096;
    private static final double SCALE = 4.2;
    private static final int ROW_GROUP_BYTES = 32 << 20;

    private FeedBench() {
    }

    static Map<String, Object> run(SparkSession spark, Path configFile, List<String> overrides, String table,
                                   TableManifest manifest, Path dir, int heapMb, long samples, Ticker ticker,
                                   PrintStream progress) {
        Map<String, Object> out = new LinkedHashMap<>();
        long trainBytes = manifest.countsBySplit().get("train") * (long) manifest.decoder().bytesPerExample();
        int copies = (int) Math.max(2, Math.ceil(SCALE * heapMb * (1L << 20) / trainBytes));
        String large = dir.resolve("large").toUri().toString();
        Stopwatch t = Stopwatch.start(ticker);
        TableManifest largeManifest = ReplicatedTable.write(spark, table, copies, large, ROW_GROUP_BYTES);
        long largeBytes = largeManifest.countsBySplit().get("train") * (long) manifest.decoder().bytesPerExample();
        progress.printf(Locale.ROOT, "[bench data] scale table: %d copies, %d examples, %.0f MB of features = %.1fx "
                + "a %d MB heap (written in %.0f s)%n", copies, largeManifest.countsBySplit().get("train"),
                largeBytes / 1e6, largeBytes / (heapMb * 1048576.0), heapMb, t.seconds());
        out.put("heap_mb", heapMb);
        out.put("scale_table_examples", largeManifest.countsBySplit().get("train"));
        out.put("scale_table_feature_mb", largeBytes / 1e6);
        out.put("scale_vs_heap", largeBytes / (heapMb * 1048576.0));

        List<String> budget = List.of("--set", "train.budget.epochs=null", "--set", "train.budget.wall-clock=null",
                "--set", "train.budget.samples=" + samples, "--set", "train.evaluation.every-epochs=null",
                "--set", "data.source=table");
        Map<String, Object> memory = child(configFile, overrides, budget, table, dir.resolve("in-memory"), heapMb,
                List.of(), ticker, progress);
        Map<String, Object> streamed = child(configFile, overrides, budget, large, dir.resolve("streamed"), heapMb,
                List.of(), ticker, progress);
        out.put("in_memory", memory);
        out.put("streamed", streamed);
        double ratio = (double) streamed.get("samples_per_s") / (double) memory.get("samples_per_s");
        out.put("streamed_vs_in_memory_samples_per_s", ratio);
        progress.printf(Locale.ROOT, "[bench data] %d MB heap: in memory %.0f samples/s, streamed from %.1fx the heap "
                + "%.0f samples/s (%.2fx)%n", heapMb, memory.get("samples_per_s"), largeBytes / (heapMb * 1048576.0),
                streamed.get("samples_per_s"), ratio);

        List<String> accuracy = List.of("--set", "data.source=table");
        int accuracyHeap = 4096;
        Map<String, Object> heapRun = child(configFile, overrides, accuracy, table, dir.resolve("acc-heap"),
                accuracyHeap, List.of(), ticker, progress);
        Map<String, Object> spilledRun = child(configFile, overrides, concat(accuracy,
                List.of("--set", "data.feed.memory-mb=0")), table, dir.resolve("acc-spilled"), accuracyHeap, List.of(),
                ticker, progress);
        Map<String, Object> windowRun = child(configFile, overrides, concat(accuracy,
                List.of("--set", "data.feed.memory-mb=0", "--set", "data.feed.shuffle-window=" + SMALL_WINDOW)), table,
                dir.resolve("acc-window"), accuracyHeap, List.of(), ticker, progress);
        out.put("accuracy_in_memory", heapRun);
        out.put("accuracy_spilled", spilledRun);
        out.put("accuracy_spilled_window_" + SMALL_WINDOW, windowRun);
        progress.printf(Locale.ROOT, "[bench data] test accuracy, same seed and budget: in memory %.4f, spilled %.4f, "
                + "spilled with a %d-example window %.4f%n", heapRun.get("test_accuracy"),
                spilledRun.get("test_accuracy"), SMALL_WINDOW, windowRun.get("test_accuracy"));
        return out;
    }

    private static Map<String, Object> child(Path configFile, List<String> overrides, List<String> settings,
                                             String table, Path runDir, int heapMb, List<String> jvm,
                                             Ticker ticker, PrintStream progress) {
        List<String> args = new ArrayList<>(List.of("run", configFile.toString(), "--run-dir", runDir.toString()));
        args.addAll(settings);
        args.addAll(List.of("--set", "data.table=\"" + table + "\""));
        for (String override : overrides) {
            args.addAll(List.of("--set", override));
        }
        Path log = runDir.resolveSibling(runDir.getFileName() + ".log");
        ChildRun run = ChildRun.run(args, heapMb, jvm, log, ticker);
        if (run.exitCode() != 0) {
            throw new IllegalStateException("the benchmark's child run " + runDir + " exited " + run.exitCode()
                    + "; its log: " + log);
        }
        try {
            JsonNode summary = Json.mapper().readTree(runDir.resolve("summary.json").toFile());
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("test_accuracy", summary.get("test_accuracy").asDouble());
            result.put("samples_per_s", summary.get("training").get("samples_per_s").asDouble());
            result.put("load_s", summary.get("stages").get("load").asDouble());
            result.put("train_s", summary.get("stages").get("train").asDouble());
            result.put("train_feed", Json.mapper().convertValue(summary.get("train_feed"), Map.class));
            result.put("heap_mb", heapMb);
            result.put("peak_anonymous_rss_mb", run.peakAnonymousMb());
            result.put("peak_rss_mb", run.peakResidentMb());
            result.put("wall_s", run.seconds());
            progress.printf(Locale.ROOT, "[bench data]   %s: accuracy %.4f, %.0f samples/s, load %.1f s, peak "
                    + "anonymous RSS %d MB (RSS %d MB)%n", runDir.getFileName(), result.get("test_accuracy"),
                    result.get("samples_per_s"), result.get("load_s"), run.peakAnonymousMb(), run.peakResidentMb());
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runDir.resolve("summary.json"), e);
        }
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
