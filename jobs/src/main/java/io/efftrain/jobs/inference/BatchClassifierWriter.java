package io.efftrain.jobs.inference;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.efftrain.pipeline.run.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.util.MLWriter;
import scala.collection.JavaConverters;

/**
 * Saves a {@link BatchClassifier}: {@code metadata/} in Spark ML's own format (class, uid, params; what
 * {@code PipelineModel.load} reads to find the stage's reader), {@code model.zip} and the table manifest.
 */
final class BatchClassifierWriter extends MLWriter {
    static final String METADATA = "metadata";

    private final BatchClassifier instance;

    BatchClassifierWriter(BatchClassifier instance) {
        this.instance = instance;
    }

    @Override
    public void saveImpl(String path) {
        ObjectNode metadata = Json.mapper().createObjectNode();
        metadata.put("class", BatchClassifier.class.getName());
        metadata.put("timestamp", System.currentTimeMillis());
        metadata.put("sparkVersion", sc().version());
        metadata.put("uid", instance.uid());
        metadata.set("paramMap", params(instance.extractParamMap().toSeq(), false));
        metadata.set("defaultParamMap", params(instance.extractParamMap().toSeq(), true));
        JavaSparkContext.fromSparkContext(sc())
                .parallelize(List.of(metadata.toString()), 1)
                .saveAsTextFile(new Path(path, METADATA).toString());
        Configuration hadoop = sc().hadoopConfiguration();
        BatchClassifier.writeBytes(new Path(path, BatchClassifier.MODEL_FILE), instance.modelBytes().bytes(), hadoop);
        instance.manifest().writeInto(path, hadoop);
    }

    private ObjectNode params(scala.collection.Seq<ParamPair<?>> pairs, boolean defaults) {
        ObjectNode out = Json.mapper().createObjectNode();
        for (ParamPair<?> pair : JavaConverters.seqAsJavaList(pairs)) {
            @SuppressWarnings("unchecked")
            Param<Object> param = (Param<Object>) pair.param();
            boolean isDefault = !instance.isSet(param);
            if (isDefault == defaults) {
                try {
                    out.set(param.name(), Json.mapper().readTree(param.jsonEncode(pair.value())));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }
}
