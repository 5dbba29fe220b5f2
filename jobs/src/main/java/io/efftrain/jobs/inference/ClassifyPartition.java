package io.efftrain.jobs.inference;

import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.trainers.averaging.TaskDevice;
import io.efftrain.trainers.engine.NativeHelpers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The executor side of {@link BatchClassifier}: scores a partition's rows in batches, lazily (one batch in memory
 * at a time), appending the predicted class and the class probabilities to each row.
 */
final class ClassifyPartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final Broadcast<NetworkBytes> model;
    private final FeatureDecoder decoder;
    private final int featureColumn;
    private final int batchSize;

    ClassifyPartition(Broadcast<NetworkBytes> model, FeatureDecoder decoder, int featureColumn, int batchSize) {
        this.model = model;
        this.decoder = decoder;
        this.featureColumn = featureColumn;
        this.batchSize = batchSize;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows;
        }
        NativeHelpers.enableUnlessConfigured();
        TaskDevice.bindToAssignedGpu();
        // One network per partition: a DL4J network is not safe to share between the tasks of an executor, and
        // restoring a small model costs milliseconds against the seconds a partition's forward passes take.
        Model network = model.value().restore();
        return BatchedRows.scored(rows, batchSize, (batch, first) -> score(network, batch));
    }

    private List<Row> score(Model network, List<Row> batch) {
        int size = decoder.featureSize();
        float[] features = new float[batch.size() * size];
        for (int i = 0; i < batch.size(); i++) {
            byte[] encoded = batch.get(i).getAs(featureColumn);
            if (encoded == null || encoded.length != decoder.bytesPerExample()) {
                throw new IllegalArgumentException("features of " + (encoded == null ? "null" : encoded.length + " bytes")
                        + " in row " + batch.get(i) + "; the model's table stores " + decoder.bytesPerExample()
                        + " bytes per example (" + size + " values, " + decoder.encoding() + ")");
            }
            decoder.decode(encoded, 0, features, i * size);
        }
        float[] probabilities = NetworkBytes.output(network, Nd4j.create(features, new long[] {batch.size(), size},
                'c')).ravel().toFloatVector();
        int classes = probabilities.length / batch.size();
        List<Row> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            double[] p = new double[classes];
            int best = 0;
            for (int c = 0; c < classes; c++) {
                p[c] = probabilities[i * classes + c];
                // Strictly greater: ties go to the lower class index, as in training's evaluation.
                if (probabilities[i * classes + c] > probabilities[i * classes + best]) {
                    best = c;
                }
            }
            Row row = batch.get(i);
            Object[] values = new Object[row.length() + 2];
            for (int j = 0; j < row.length(); j++) {
                values[j] = row.get(j);
            }
            values[row.length()] = (double) best;
            values[row.length() + 1] = new DenseVector(p);
            out.add(RowFactory.create(values));
        }
        return out;
    }
}
