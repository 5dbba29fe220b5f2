package io.efftrain.jobs.inference;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.run.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Iterator;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLReader;

/** Loads what {@link BatchClassifierWriter} saved. */
final class BatchClassifierReader extends MLReader<BatchClassifier> {
    @Override
    public BatchClassifier load(String path) {
        JsonNode metadata = metadata(path);
        if (!BatchClassifier.class.getName().equals(metadata.path("class").asText())) {
            throw new IllegalArgumentException(path + " holds a " + metadata.path("class").asText() + ", not a "
                    + BatchClassifier.class.getName());
        }
        Configuration hadoop = sc().hadoopConfiguration();
        BatchClassifier classifier = new BatchClassifier(metadata.path("uid").asText(),
                BatchClassifier.readNetwork(new Path(path, BatchClassifier.MODEL_FILE), hadoop),
                TableManifest.read(path, hadoop));
        // Only explicitly set params are restored: defaults are this version's, as in Spark's own readers.
        Iterator<Map.Entry<String, JsonNode>> params = metadata.path("paramMap").fields();
        while (params.hasNext()) {
            Map.Entry<String, JsonNode> entry = params.next();
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) classifier.getParam(entry.getKey());
            classifier.set(param, param.jsonDecode(entry.getValue().toString()));
        }
        return classifier;
    }

    private JsonNode metadata(String path) {
        String text = JavaSparkContext.fromSparkContext(sc())
                .textFile(new Path(path, BatchClassifierWriter.METADATA).toString(), 1).first();
        try {
            return Json.mapper().readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(path + ": unreadable metadata", e);
        }
    }
}
