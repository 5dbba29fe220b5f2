package io.efftrain.jobs.ml;

import io.efftrain.jobs.inference.BatchedRows;
import io.efftrain.jobs.inference.NetworkBytes;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.trainers.averaging.TaskDevice;
import io.efftrain.trainers.engine.NativeHelpers;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.deeplearning4j.nn.api.Model;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The executor side of {@link EfftrainClassificationModel#transform} and {@link EfftrainRegressionModel#transform}:
 * scores a partition's rows in batches, lazily (one batch in memory at a time), and appends the enabled output
 * columns to each row: a classifier's prediction, probabilities and raw predictions, or a regression network's
 * prediction mapped back from the standardised label (times its standard deviation, plus its mean).
 */
final class ScorePartition implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    /** Rows per forward pass: large enough to amortise the call, small enough for any executor's memory. */
    static final int BATCH = 256;
    /** log(0) would put -Infinity into rawPrediction; the smallest float keeps every value finite and ordered. */
    private static final double LOG_FLOOR = Math.log(Float.MIN_VALUE);

    private final Broadcast<NetworkBytes> network;
    private final FeatureDecoder decoder;
    private final int featureSize;
    private final int featureColumn;
    private final String featuresCol;
    private final boolean prediction;
    private final boolean probability;
    private final boolean raw;
    /** Regression: the label's mean and standard deviation; null for a classifier. */
    private final double[] label;

    ScorePartition(Broadcast<NetworkBytes> network, FeatureDecoder decoder, int featureSize, int featureColumn,
                   String featuresCol, boolean prediction, boolean probability, boolean raw) {
        this.network = network;
        this.decoder = decoder;
        this.featureSize = featureSize;
        this.featureColumn = featureColumn;
        this.featuresCol = featuresCol;
        this.prediction = prediction;
        this.probability = probability;
        this.raw = raw;
        this.label = null;
    }

    /** A regression network's scorer: one prediction column, {@code output * labelStd + labelMean}. */
    ScorePartition(Broadcast<NetworkBytes> network, FeatureDecoder decoder, int featureSize, int featureColumn,
                   String featuresCol, double labelMean, double labelStd) {
        this.network = network;
        this.decoder = decoder;
        this.featureSize = featureSize;
        this.featureColumn = featureColumn;
        this.featuresCol = featuresCol;
        this.prediction = true;
        this.probability = false;
        this.raw = false;
        this.label = new double[] {labelMean, labelStd};
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        if (!rows.hasNext()) {
            return rows;
        }
        NativeHelpers.enableUnlessConfigured();
        TaskDevice.bindToAssignedGpu();
        // One network per partition: a DL4J network is not safe to share between the tasks of an executor, and
        // restoring a small model costs milliseconds against the partition's forward passes.
        Model net = network.value().restore();
        int partition = TaskContext.get() == null ? -1 : TaskContext.getPartitionId();
        return BatchedRows.scored(rows, BATCH, (batch, first) -> score(net, batch, partition, first));
    }

    private List<Row> score(Model net, List<Row> batch, int partition, long firstPosition) {
        float[] values = new float[featureSize];
        byte[] encoded = new byte[featureSize * FeatureEncoding.FLOAT32.bytesPerValue()];
        float[] features = new float[batch.size() * featureSize];
        for (int i = 0; i < batch.size(); i++) {
            String problem = FeatureValues.read(batch.get(i).get(featureColumn), featureSize, values, 0,
                    "the model expects");
            if (problem != null) {
                throw EfftrainException.badInput(String.format(Locale.ROOT, "featuresCol '%s', row %,d of "
                        + "partition %d: the value %s.", featuresCol, firstPosition + i, partition, problem));
            }
            // Through the training decoder, so transform normalises exactly as training did.
            encodeFloat32(values, encoded);
            decoder.decode(encoded, 0, features, i * featureSize);
        }
        float[] p = NetworkBytes.output(net, Nd4j.create(features, new long[] {batch.size(), featureSize}, 'c'))
                .ravel().toFloatVector();
        int classes = p.length / batch.size();
        List<Row> out = new ArrayList<>(batch.size());
        if (label != null) {
            for (int i = 0; i < batch.size(); i++) {
                Row row = batch.get(i);
                List<Object> cells = new ArrayList<>(row.length() + 1);
                for (int j = 0; j < row.length(); j++) {
                    cells.add(row.get(j));
                }
                cells.add(p[i] * label[1] + label[0]);
                out.add(RowFactory.create(cells.toArray()));
            }
            return out;
        }
        for (int i = 0; i < batch.size(); i++) {
            double[] probabilities = new double[classes];
            double[] logs = new double[classes];
            int best = 0;
            for (int c = 0; c < classes; c++) {
                probabilities[c] = p[i * classes + c];
                logs[c] = probabilities[c] > 0 ? Math.max(LOG_FLOOR, Math.log(probabilities[c])) : LOG_FLOOR;
                // Strictly greater: ties go to the lower class index, as in training's evaluation.
                if (p[i * classes + c] > p[i * classes + best]) {
                    best = c;
                }
            }
            Row row = batch.get(i);
            List<Object> cells = new ArrayList<>(row.length() + 3);
            for (int j = 0; j < row.length(); j++) {
                cells.add(row.get(j));
            }
            if (prediction) {
                cells.add((double) best);
            }
            if (probability) {
                cells.add(new DenseVector(probabilities));
            }
            if (raw) {
                cells.add(new DenseVector(logs));
            }
            out.add(RowFactory.create(cells.toArray()));
        }
        return out;
    }

    private static void encodeFloat32(float[] values, byte[] out) {
        for (int j = 0; j < values.length; j++) {
            int bits = Float.floatToRawIntBits(values[j]);
            out[4 * j] = (byte) bits;
            out[4 * j + 1] = (byte) (bits >>> 8);
            out[4 * j + 2] = (byte) (bits >>> 16);
            out[4 * j + 3] = (byte) (bits >>> 24);
        }
    }
}
