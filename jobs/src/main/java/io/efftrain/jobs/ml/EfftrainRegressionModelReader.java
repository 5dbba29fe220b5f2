package io.efftrain.jobs.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.jobs.inference.NetworkBytes;
import io.efftrain.trainers.model.InputShape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/** Loads what {@link EfftrainRegressionModelWriter} saved. */
final class EfftrainRegressionModelReader extends MLReader<EfftrainRegressionModel> {
    @Override
    public EfftrainRegressionModel load(String path) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sc(),
                EfftrainRegressionModel.class.getName());
        String details = EfftrainClassificationModelWriter.DETAILS;
        JsonNode json = EfftrainClassificationModelReader.json(read(new Path(path, details)), path);
        int format = json.path("format").asInt(-1);
        if (format != EfftrainClassificationModelWriter.FORMAT
                || !EfftrainRegressionModelWriter.KIND.equals(json.path("task").asText())) {
            throw new IllegalArgumentException(path + ": " + details + " is not a regression model of format "
                    + EfftrainClassificationModelWriter.FORMAT + " (format " + format + ", task '"
                    + json.path("task").asText() + "').");
        }
        NetworkBytes network = new NetworkBytes(read(new Path(path, EfftrainClassificationModelWriter.NETWORK)),
                "ComputationGraph".equals(json.path("network").asText()));
        JsonNode input = json.path("input_shape");
        EfftrainRegressionModel model = new EfftrainRegressionModel(metadata.uid(), network,
                json.path("feature_size").asInt(),
                new InputShape(input.get(0).asInt(), input.get(1).asInt(), input.get(2).asInt()),
                EfftrainClassificationModelReader.normalization(json), json.path("label_mean").asDouble(),
                json.path("label_std").asDouble(), new EfftrainRegressionModel.Summary(
                json.path("epochs_trained").asDouble(), json.path("stop_reason").asText(),
                json.path("training_rmse").asDouble(), json.path("training_mae").asDouble(),
                json.path("run_directory").isTextual() ? json.path("run_directory").asText() : null));
        metadata.getAndSetParams(model, Option.empty());
        return model;
    }

    private byte[] read(Path file) {
        try (InputStream in = file.getFileSystem(sc().hadoopConfiguration()).open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }
}
