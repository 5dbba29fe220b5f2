package io.efftrain.jobs.ml;

import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * Saves an {@link EfftrainRegressionModel} as the classifier's writer does: {@code metadata/}, {@code model.zip},
 * and {@code efftrain-model.json} with the label's mean and standard deviation beside the shapes and normalisation.
 */
final class EfftrainRegressionModelWriter extends MLWriter {
    static final String KIND = "regression";

    private final EfftrainRegressionModel instance;

    EfftrainRegressionModelWriter(EfftrainRegressionModel instance) {
        this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
        DefaultParamsWriter.saveMetadata(instance, path, sc(), Option.empty(), Option.empty());
        write(new Path(path, EfftrainClassificationModelWriter.NETWORK), instance.networkBytes().bytes());
        write(new Path(path, EfftrainClassificationModelWriter.DETAILS), details().getBytes(StandardCharsets.UTF_8));
    }

    private String details() {
        ObjectNode json = Json.mapper().createObjectNode();
        json.put("format", EfftrainClassificationModelWriter.FORMAT);
        json.put("task", KIND);
        json.put("network", instance.networkBytes().graph() ? "ComputationGraph" : "MultiLayerNetwork");
        json.put("feature_size", instance.numFeatures());
        json.putArray("input_shape").add(instance.input().channels()).add(instance.input().rows())
                .add(instance.input().columns());
        json.put("label_mean", instance.labelMean());
        json.put("label_std", instance.labelStd());
        EfftrainRegressionModel.Summary summary = instance.summary();
        json.put("epochs_trained", summary.epochsTrained());
        json.put("stop_reason", summary.stopReason());
        json.put("training_rmse", summary.trainingRmse());
        json.put("training_mae", summary.trainingMae());
        json.put("run_directory", summary.runDirectory());
        EfftrainClassificationModelWriter.putNormalization(json, instance.normalization());
        return EfftrainClassificationModelWriter.pretty(json);
    }

    private void write(Path file, byte[] bytes) {
        try (OutputStream out = FileSystem.get(file.toUri(), sc().hadoopConfiguration()).create(file, true)) {
            out.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
