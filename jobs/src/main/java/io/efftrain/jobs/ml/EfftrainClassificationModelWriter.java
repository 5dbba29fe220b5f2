package io.efftrain.jobs.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.efftrain.datasets.preprocess.FeatureStatistics;
import io.efftrain.pipeline.config.ConfigReader;
import io.efftrain.pipeline.run.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLWriter;
import scala.Option;

/**
 * Saves an {@link EfftrainClassificationModel}: Spark ML's {@code metadata/} through
 * {@link DefaultParamsWriter#saveMetadata} (what {@code PipelineModel.load} reads to find the reader), the network as
 * {@code model.zip} and what the network alone does not say (class count, shapes, normalisation) as
 * {@code efftrain-model.json}, on any Hadoop file system.
 */
final class EfftrainClassificationModelWriter extends MLWriter {
    static final String NETWORK = "model.zip";
    static final String DETAILS = "efftrain-model.json";
    static final int FORMAT = 1;

    private final EfftrainClassificationModel instance;

    EfftrainClassificationModelWriter(EfftrainClassificationModel instance) {
        this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
        DefaultParamsWriter.saveMetadata(instance, path, sc(), Option.empty(), Option.empty());
        write(new Path(path, NETWORK), instance.networkBytes().bytes());
        write(new Path(path, DETAILS), details().getBytes(StandardCharsets.UTF_8));
    }

    private String details() {
        EfftrainClassificationModel.Shape shape = instance.shape();
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("format", FORMAT);
        json.put("network", instance.networkBytes().graph() ? "ComputationGraph" : "MultiLayerNetwork");
        json.put("feature_size", shape.featureSize());
        json.put("classes", shape.classes());
        json.putArray("input_shape").add(shape.input().channels()).add(shape.input().rows())
                .add(shape.input().columns());
        json.put("epochs_trained", instance.epochsTrained());
        json.put("stop_reason", instance.stopReason());
        json.put("run_directory", instance.runDirectory());
        putNormalization(json, instance.normalization());
        return pretty(json);
    }

    /** The normalisation's mode and statistics into {@code json} (what the reader's normalization reads back). */
    static void putNormalization(ObjectNode json, io.efftrain.datasets.preprocess.NormalizationModel normalization) {
        json.put("normalization", ConfigReader.configName(normalization.mode()));
        FeatureStatistics statistics = normalization.statistics();
        ObjectNode stats = json.putObject("statistics");
        stats.put("count", statistics.count());
        for (String name : new String[] {"mean", "std", "min", "max"}) {
            double[] values = switch (name) {
                case "mean" -> statistics.mean();
                case "std" -> statistics.std();
                case "min" -> statistics.min();
                default -> statistics.max();
            };
            var array = stats.putArray(name);
            for (double v : values) {
                array.add(v);
            }
        }
    }

    static String pretty(ObjectNode json) {
        try {
            return Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void write(Path file, byte[] bytes) {
        try (OutputStream out = FileSystem.get(file.toUri(), sc().hadoopConfiguration()).create(file, true)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
