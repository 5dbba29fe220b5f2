package io.efftrain.jobs.bench;

import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The machine's practical compute peak as the benchmark's yardstick: the best float32 matrix-multiply rate ND4J
 * reaches in this JVM, with the backend's default threads. Achieved training FLOP/s are reported against it.
 */
final class GemmPeak {
    private GemmPeak() {
    }

    /** GFLOP/s of the fastest of several n x n multiplications, after a warm-up. */
    static double measureGflops(int n, int repeats, Ticker ticker) {
        INDArray a = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray b = Nd4j.rand(DataType.FLOAT, n, n);
        INDArray c = Nd4j.create(DataType.FLOAT, n, n);
        Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
        double best = Double.MAX_VALUE;
        for (int i = 0; i < repeats; i++) {
            Stopwatch start = Stopwatch.start(ticker);
            Nd4j.gemm(a, b, c, false, false, 1.0, 0.0);
            best = Math.min(best, start.seconds());
        }
        return 2.0 * n * n * n / best / 1e9;
    }
}
