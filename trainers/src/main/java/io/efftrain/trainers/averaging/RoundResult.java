package io.efftrain.trainers.averaging;

import java.io.Serializable;

/**
 * The sum of what the workers of one round produced; {@link #plus} is associative, so Spark's
 * {@code treeAggregate} can combine partial sums on the executors before the driver sees them.
 *
 * @param parameterSum element-wise sum of the workers' parameters after the round
 * @param updaterSum element-wise sum of their updater states
 * @param workers how many workers contributed
 * @param lossSum sum of minibatch losses
 * @param batches number of minibatches behind {@code lossSum}
 * @param samples examples drawn from the data (selective backprop scores them all and back-propagates a share)
 * @param work examples trained on and examples only scored, for FLOP accounting
 * @param exampleLosses the drawn examples' losses when the round's selection asked for them, else empty
 * @param workerTime the workers' time in their step loops, and their CPU time in it
 * @param stepLossSums each step's minibatch loss, summed over the workers: the loss curve at every step, whatever
 *     the averaging interval
 */
public record RoundResult(float[] parameterSum, float[] updaterSum, int workers, double lossSum, long batches,
                          long samples, ExampleWork work, ExampleLossReport exampleLosses, WorkerTime workerTime,
                          double[] stepLossSums)
        implements Serializable {

    /** A result without example losses, in which every drawn example was trained on. */
    public RoundResult(float[] parameterSum, float[] updaterSum, int workers, double lossSum, long batches,
                       long samples) {
        this(parameterSum, updaterSum, workers, lossSum, batches, samples, new ExampleWork(samples, 0),
                ExampleLossReport.empty(), WorkerTime.NONE, new double[0]);
    }

    /** The neutral element: no worker. */
    public static RoundResult empty() {
        return new RoundResult(null, null, 0, 0, 0, 0);
    }

    /** Combines two partial sums; may reuse (and overwrite) this result's arrays. */
    public RoundResult plus(RoundResult other) {
        if (other.workers == 0) {
            return this;
        }
        if (workers == 0) {
            return other;
        }
        addInto(parameterSum, other.parameterSum);
        addInto(updaterSum, other.updaterSum);
        return new RoundResult(parameterSum, updaterSum, workers + other.workers, lossSum + other.lossSum,
                batches + other.batches, samples + other.samples, work.plus(other.work),
                exampleLosses.plus(other.exampleLosses),
                workerTime.sameRound(other.workerTime), sum(stepLossSums, other.stepLossSums));
    }

    private static double[] sum(double[] a, double[] b) {
        double[] out = a.length >= b.length ? a.clone() : b.clone();
        double[] shorter = a.length >= b.length ? b : a;
        for (int i = 0; i < shorter.length; i++) {
            out[i] += shorter[i];
        }
        return out;
    }

    /** Each step's minibatch loss, averaged over the workers. */
    public double[] stepLosses() {
        double[] out = new double[stepLossSums.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = stepLossSums[i] / Math.max(1, workers);
        }
        return out;
    }

    /** Mean minibatch loss of the round. */
    public double meanLoss() {
        return batches == 0 ? Double.NaN : lossSum / batches;
    }

    /** The averaged parameters and updater state: the new model, in the layout of the round's start model. */
    public ParameterState average(ParameterState start, long iteration) {
        if (workers == 0) {
            throw new IllegalStateException("no worker produced a result this round: every partition was empty");
        }
        return start.withValues(divide(parameterSum, workers), divide(updaterSum, workers), iteration);
    }

    private static void addInto(float[] sum, float[] add) {
        if (sum.length != add.length) {
            throw new IllegalStateException("workers returned arrays of different lengths: " + sum.length
                    + " and " + add.length);
        }
        for (int i = 0; i < sum.length; i++) {
            sum[i] += add[i];
        }
    }

    private static float[] divide(float[] sum, int n) {
        float[] out = new float[sum.length];
        float inverse = 1f / n;
        for (int i = 0; i < sum.length; i++) {
            out[i] = sum[i] * inverse;
        }
        return out;
    }
}
