package io.efftrain.trainers.network;

import io.efftrain.trainers.engine.HostBuffers;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A network's minibatch arrays, allocated once and refilled for every step. On the CPU backend a fresh ND4J array
 * of a batch-128 LeNet input (400 KB), measured alone, costs 1.4 to 1.7 ms to allocate and fill, while a bulk copy
 * into an existing one takes 0.01 ms; in a one-thread training loop that came to 1 % of a step, in Spark's
 * workers it is part of a larger gain (fast-cpu-training.md, section 13). A step's arrays are dead once it
 * returns, so the next step may overwrite them; one instance serves one thread at a time, as its network does.
 * On a GPU backend every call makes new arrays, as before.
 */
public final class MinibatchArrays {
    private INDArray features;
    private INDArray labels;

    /** The features array, {@code rows x columns}, holding the first {@code rows * columns} of {@code values}. */
    public INDArray features(float[] values, int rows, int columns) {
        features = filled(features, values, rows, columns);
        return features;
    }

    /** The labels array, {@code rows x columns}, holding the first {@code rows * columns} of {@code values}. */
    public INDArray labels(float[] values, int rows, int columns) {
        labels = filled(labels, values, rows, columns);
        return labels;
    }

    private static INDArray filled(INDArray reused, float[] values, int rows, int columns) {
        if (!Nd4j.getEnvironment().isCPU()) {
            // A GPU backend keeps device copies that a host-side write would not reach: a new array each time.
            return Nd4j.create(Arrays.copyOf(values, rows * columns), new long[] {rows, columns}, 'c');
        }
        INDArray array = reused;
        // A shorter batch (the end of a data selection's pass, the last batch of an evaluation) has fewer rows:
        // a new array then, and again for the next full one.
        if (array == null || array.rows() != rows || array.columns() != columns) {
            array = HostBuffers.detached(rows, columns);
        }
        HostBuffers.write(values, 0, rows * columns, array);
        return array;
    }
}
