package io.efftrain.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.jobs.inference.BatchClassifier;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.run.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * A committed run directory seen from a notebook: the summary and the per-round metrics as DataFrames, the run's
 * canonical table, and a batch-inference transformer for its model.
 */
public final class TrainedRun {
    private final SparkSession spark;
    private final Path dir;
    private final JsonNode summary;

    private TrainedRun(SparkSession spark, Path dir, JsonNode summary) {
        this.spark = spark;
        this.dir = dir;
        this.summary = summary;
    }

    static TrainedRun open(SparkSession spark, String runDir) {
        Path dir = Path.of(runDir).toAbsolutePath();
        if (!Files.exists(dir.resolve("_SUCCESS"))) {
            throw EfftrainException.badInput(dir + ": not a completed run directory (no _SUCCESS)");
        }
        try {
            return new TrainedRun(spark, dir, Json.mapper().readTree(dir.resolve("summary.json").toFile()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("summary.json"), e);
        }
    }

    /** The run directory. */
    public Path dir() {
        return dir;
    }

    /** Accuracy on the test split after training. */
    public double testAccuracy() {
        return summary.get("test_accuracy").asDouble();
    }

    /** summary.json as text. */
    public String summaryJson() {
        return Json.pretty(summary);
    }

    /** summary.json as a one-row DataFrame (nested fields as structs: {@code training.samples_per_s}). */
    public Dataset<Row> summary() {
        return jsonRows(List.of(summary.toString()));
    }

    /**
     * metrics.jsonl, one row per averaging round: round, elapsed_s, step, samples, epoch, loss, learning_rate,
     * budget_used, flops, worker_cpu_share, worker_balance, coordination_share.
     */
    public Dataset<Row> metrics() {
        try {
            return jsonRows(Files.readAllLines(dir.resolve("metrics.jsonl")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve("metrics.jsonl"), e);
        }
    }

    /** The run's canonical table (the data it trained and was evaluated on). */
    public PreparedTable data() {
        return PreparedTable.open(spark, dir.resolve("data/canonical").toUri().toString());
    }

    /** A Spark ML transformer that applies the run's model to features in the run's table encoding. */
    public BatchClassifier classifier() {
        return BatchClassifier.fromRun(spark, dir.toUri().toString());
    }

    /**
     * The files were written by the driver to its own disk: parse them here and hand Spark the lines, so this works
     * whether or not the executors can see that disk.
     */
    private Dataset<Row> jsonRows(List<String> lines) {
        return spark.read().json(spark.createDataset(new ArrayList<>(lines), Encoders.STRING()));
    }
}
