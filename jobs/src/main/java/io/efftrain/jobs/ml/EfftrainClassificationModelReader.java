package io.efftrain.jobs.ml;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.datasets.preprocess.FeatureStatistics;
import io.efftrain.datasets.preprocess.NormalizationModel;
import io.efftrain.jobs.inference.NetworkBytes;
import io.efftrain.pipeline.config.NormalizationType;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.run.Json;
import io.efftrain.trainers.model.InputShape;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.MLReader;
import scala.Option;

/** Loads what {@link EfftrainClassificationModelWriter} saved. */
final class EfftrainClassificationModelReader extends MLReader<EfftrainClassificationModel> {
    @Override
    public EfftrainClassificationModel load(String path) {
        DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, sc(),
                EfftrainClassificationModel.class.getName());
        JsonNode details = json(read(new Path(path, EfftrainClassificationModelWriter.DETAILS)), path);
        int format = details.path("format").asInt(-1);
        if (format != EfftrainClassificationModelWriter.FORMAT) {
            throw new IllegalArgumentException(path + ": " + EfftrainClassificationModelWriter.DETAILS + " has format "
                    + format + "; this efftrain reads format " + EfftrainClassificationModelWriter.FORMAT + ".");
        }
        NetworkBytes network = new NetworkBytes(read(new Path(path, EfftrainClassificationModelWriter.NETWORK)),
                "ComputationGraph".equals(details.path("network").asText()));
        JsonNode input = details.path("input_shape");
        EfftrainClassificationModel.Shape shape = new EfftrainClassificationModel.Shape(
                details.path("feature_size").asInt(), details.path("classes").asInt(),
                new InputShape(input.get(0).asInt(), input.get(1).asInt(), input.get(2).asInt()));
        EfftrainClassificationModel model = new EfftrainClassificationModel(metadata.uid(), network, shape,
                normalization(details),
                details.path("epochs_trained").asDouble(), details.path("stop_reason").asText(),
                details.path("run_directory").isTextual() ? details.path("run_directory").asText() : null);
        metadata.getAndSetParams(model, Option.empty());
        return model;
    }

    /** The normalisation the writer's putNormalization saved. */
    static NormalizationModel normalization(JsonNode details) {
        JsonNode stats = details.path("statistics");
        FeatureStatistics statistics = new FeatureStatistics(stats.path("count").asLong(), doubles(stats.path("mean")),
                doubles(stats.path("std")), doubles(stats.path("min")), doubles(stats.path("max")));
        NormalizationType mode = NormalizationType.valueOf(details.path("normalization").asText()
                .toUpperCase(Locale.ROOT).replace('-', '_'));
        return new NormalizationModel(mode, FeatureEncoding.FLOAT32, statistics);
    }

    private static double[] doubles(JsonNode array) {
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = array.get(i).asDouble();
        }
        return out;
    }

    byte[] read(Path file) {
        try (InputStream in = file.getFileSystem(sc().hadoopConfiguration()).open(file)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static JsonNode json(byte[] bytes, String path) {
        try {
            return Json.mapper().readTree(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": unreadable " + EfftrainClassificationModelWriter.DETAILS, e);
        }
    }
}
