package io.efftrain.trainers.averaging;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.network.MinibatchArrays;
import io.efftrain.trainers.network.Network;
import io.efftrain.trainers.network.NetworkSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.api.Layer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * One worker's part of an averaging round: load the broadcast model, take the plan's minibatch steps on the
 * worker's own block, and return the resulting parameters and updater state for averaging.
 */
public final class TrainRound implements BlockTask<ParameterState, RoundResult> {
    private static final long serialVersionUID = 1L;

    private final NetworkSpec spec;
    private final RoundPlan plan;

    public TrainRound(NetworkSpec spec, RoundPlan plan) {
        this.spec = spec;
        this.plan = plan;
    }

    @Override
    public RoundResult apply(ParameterState start, int worker, ExampleBlock block) {
        return NetworkPool.withNetwork(spec, net -> train(net, start, worker, block));
    }

    private RoundResult train(Network net, ParameterState start, int worker, ExampleBlock block) {
        NetworkState.load(net, start);
        BatchOrder order = new BatchOrder(plan.seed(), worker, block.size(), plan.batchSize(), block.shuffleWindow());
        WindowPrefetch prefetch = new WindowPrefetch(block, order);
        DataSelection selection = plan.selection();
        ExampleLossReport.Builder reported = selection != null && selection.reportLosses()
                ? new ExampleLossReport.Builder(worker) : null;
        int classes = net.classes();
        MinibatchState.LossProbe probe = (features, labels, count) -> net.exampleLosses(
                net.output(net.minibatchArrays().features(features, count, block.featureSize()), true), labels);
        double lossSum = 0;
        double[] stepLosses = new double[plan.steps()];
        long samples = 0;
        long trained = 0;
        long frozen = 0;
        long scored = 0;
        long wallStart = WorkerTime.currentWallNanos();
        long cpuStart = WorkerTime.currentThreadCpuNanos();
        for (int i = 0; i < plan.steps(); i++) {
            long step = plan.firstStep() + i;
            double budgetUsed = plan.learningRates().budgetUsed(step);
            if (selection == null) {
                prefetch.ahead(step);
            }
            MinibatchState batch = selection == null
                    ? minibatchState(block, order, step, classes, worker, plan.seed(), budgetUsed)
                    : selectedMinibatch(block, selection, plan.batchSize(), step, classes, worker, plan.seed(),
                    budgetUsed);
            batch.setLossProbe(probe);
            if (reported != null) {
                batch.requestExampleLosses();
            }
            // Counted as drawn, before a selective method drops rows: an epoch stays one pass over the data
            // (its examples were all scored), so epoch budgets and the schedule's length hold.
            int drawn = batch.count();
            fire(Event.BATCH_START, batch);
            NetworkState.setLearningRate(net, plan.learningRates().rate(step));
            boolean skippedFrozen = step(net, batch);
            fire(Event.BATCH_END, batch);
            if (reported != null) {
                for (int e = 0; e < batch.count(); e++) {
                    reported.add(batch.examples()[e], batch.exampleLosses()[e]);
                }
            }
            lossSum += batch.loss();
            stepLosses[i] = batch.loss();
            samples += drawn;
            trained += batch.count();
            frozen += skippedFrozen ? batch.count() : 0;
            scored += batch.scoredExamples();
        }
        long cpuEnd = WorkerTime.currentThreadCpuNanos();
        WorkerTime time = cpuStart < 0 || cpuEnd < 0 ? WorkerTime.NONE
                : WorkerTime.ofLoop(cpuEnd - cpuStart, WorkerTime.currentWallNanos() - wallStart);
        ParameterState end = NetworkState.capture(net);
        return new RoundResult(end.parameters(), end.updaterState(), 1, lossSum, plan.steps(), samples,
                new ExampleWork(trained, scored, frozen),
                reported == null ? ExampleLossReport.empty() : reported.build(), time, stepLosses);
    }

    /**
     * One optimisation step on {@code batch} as the algorithms left it: weighted if they set weights, with
     * per-example losses if they asked, with the first layers (or named layers) held fixed if they froze them.
     *
     * @return whether the step skipped the backward pass of frozen leading layers
     */
    public static boolean step(Network net, MinibatchState batch) {
        DataSet data = toDataSet(batch, net.minibatchArrays());
        long frozen = batch.frozenLayers() > 0 ? NetworkState.leadingParameters(net, batch.frozenLayers()) : 0;
        // Restoring the frozen weights after the step, rather than a learning rate of 0: DL4J shares one updater
        // (and one learning rate) among all layers with equal settings, so a per-layer rate cannot be set.
        INDArray held = frozen > 0 ? leading(net, frozen).dup() : null;
        List<INDArray[]> heldByName = holdNamed(net, batch.heldLayers());
        // Frozen for this step only: evaluation and the next step see the network as it was built.
        boolean skipped = net.freezeLeadingLayers(batch.frozenLayers()) && batch.frozenLayers() > 0;
        try {
            if (batch.exampleLossesRequested()) {
                batch.setExampleLosses(net.fitWithExampleLosses(data, batch.labels()));
            } else {
                net.fit(data);
            }
        } finally {
            net.freezeLeadingLayers(0);
        }
        if (held != null) {
            leading(net, frozen).assign(held);
        }
        for (INDArray[] viewAndCopy : heldByName) {
            viewAndCopy[0].assign(viewAndCopy[1]);
        }
        batch.setLoss(net.score());
        return skipped;
    }

    /** For each named layer with parameters: its parameter view (writes go into the network) and a copy. */
    private static List<INDArray[]> holdNamed(Network net, Set<String> names) {
        if (names.isEmpty()) {
            return List.of();
        }
        List<INDArray[]> out = new ArrayList<>();
        for (Layer layer : net.layers()) {
            if (names.contains(layer.conf().getLayer().getLayerName()) && layer.numParams() > 0) {
                INDArray view = layer.params();
                out.add(new INDArray[] {view, view.dup()});
            }
        }
        return out;
    }

    /** A view of the first {@code n} parameters (params() is a contiguous row vector, so the views write through). */
    private static INDArray leading(Network net, long n) {
        INDArray params = net.params();
        return params.reshape(params.length()).get(NDArrayIndex.interval(0, n));
    }

    private void fire(Event event, MinibatchState batch) {
        for (TrainingAlgorithm<MinibatchState> algorithm : plan.workerAlgorithms()) {
            if (algorithm.match(event, batch)) {
                algorithm.apply(event, batch);
            }
        }
    }

    /** The minibatch of global step {@code step} for this worker, as arrays: features in [0, 1], one-hot labels. */
    public static MinibatchState minibatchState(ExampleBlock block, BatchOrder order, long step, int classes,
                                                int worker, long seed, double budgetUsed) {
        return gather(block, order.order(order.epochOf(step)), order.offsetOf(step), order.countOf(step), classes,
                step, worker, seed, budgetUsed);
    }

    /** The minibatch of global step {@code step} drawn from {@code selection}, with the selection's weights. */
    static MinibatchState selectedMinibatch(ExampleBlock block, DataSelection selection, int batchSize, long step,
                                            int classes, int worker, long seed, double budgetUsed) {
        int[] order = selection.order()[worker];
        if (order.length == 0) {
            throw new IllegalStateException("the data selection left worker " + worker + " no example");
        }
        int from = selection.offsetOf(worker, step, batchSize);
        int count = Math.min(batchSize, order.length - from);
        MinibatchState state = gather(block, order, from, count, classes, step, worker, seed, budgetUsed);
        if (selection.weights() != null) {
            // Multiplied into the examples' own weights (the estimators' weightCol), which start at 1 otherwise.
            float[] weights = state.weights();
            for (int i = 0; i < count; i++) {
                weights[i] *= selection.weights()[worker][from + i];
            }
        }
        return state;
    }

    /** The examples {@code order[from .. from+count)} of the block, decoded, with their indices. */
    private static MinibatchState gather(ExampleBlock block, int[] order, int from, int count, int classes, long step,
                                         int worker, long seed, double budgetUsed) {
        int width = block.labelWidth(classes);
        float[] features = new float[count * block.featureSize()];
        float[] labels = new float[count * width];
        block.fillFeatures(order, from, count, features);
        block.fillLabels(order, from, count, classes, labels);
        MinibatchState state = new MinibatchState(features, labels, count, block.featureSize(), width, step,
                worker, seed, budgetUsed);
        state.setExamples(Arrays.copyOfRange(order, from, from + count));
        if (block.regression()) {
            state.markRegression();
        }
        if (block.weighted()) {
            float[] weights = state.weights();
            for (int i = 0; i < count; i++) {
                weights[i] = block.weight(order[from + i]);
            }
        }
        return state;
    }

    /** The minibatch of {@code step} as arrays, at the start of the budget. */
    public static MinibatchState minibatchState(ExampleBlock block, BatchOrder order, long step, int classes,
                                                int worker, long seed) {
        return minibatchState(block, order, step, classes, worker, seed, 0);
    }

    /** The same minibatch as DL4J arrays, with no algorithm applied. */
    public static DataSet minibatch(ExampleBlock block, BatchOrder order, long step, int classes) {
        return toDataSet(minibatchState(block, order, step, classes, 0, 0));
    }

    /**
     * The minibatch as DL4J arrays. Weights, when set, scale each example's label row: with a softmax and
     * DL4J's negative log-likelihood the loss is -sum y log p and its gradient p sum(y) - y, so a row scaled by w
     * scales that example's loss and gradient by exactly w. (A labels mask would not do: DL4J also multiplies the
     * output activations by it, which is right only for weights of 0 and 1.) A regression row is (target,
     * weight): only its weight column is scaled (WeightableRegressionLoss multiplies the loss by it).
     */
    public static DataSet toDataSet(MinibatchState batch) {
        return toDataSet(batch, new MinibatchArrays());
    }

    /** The minibatch as DL4J arrays, copied into {@code arrays} (which the next call overwrites). */
    static DataSet toDataSet(MinibatchState batch, MinibatchArrays arrays) {
        INDArray x = arrays.features(batch.features(), batch.count(), batch.featureSize());
        float[] labels = batch.labels();
        if (batch.weighted()) {
            labels = labels.clone();
            float[] weights = batch.weights();
            for (int i = 0; i < batch.count(); i++) {
                if (batch.regression()) {
                    labels[i * batch.classes() + 1] *= weights[i];
                    continue;
                }
                for (int c = 0; c < batch.classes(); c++) {
                    labels[i * batch.classes() + c] *= weights[i];
                }
            }
        }
        INDArray y = arrays.labels(labels, batch.count(), batch.classes());
        return new DataSet(x, y);
    }
}
