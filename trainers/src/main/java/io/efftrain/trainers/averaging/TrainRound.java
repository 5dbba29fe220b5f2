package io.efftrain.trainers.averaging;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One worker's part of an averaging round: load the broadcast model, take the plan's minibatch steps on the
 * worker's own block, and return the resulting parameters and updater state for averaging.
 */
public final class TrainRound implements BlockTask<ParameterState, RoundResult> {
    private static final long serialVersionUID = 1L;

    private final String modelJson;
    private final RoundPlan plan;

    public TrainRound(String modelJson, RoundPlan plan) {
        this.modelJson = modelJson;
        this.plan = plan;
    }

    @Override
    public RoundResult apply(ParameterState start, int worker, ExampleBlock block) {
        TaskDevice.bindToAssignedGpu();
        MultiLayerNetwork net = NetworkPool.borrow(modelJson);
        try {
            NetworkState.load(net, start);
            BatchOrder order = new BatchOrder(plan.seed(), worker, block.size(), plan.batchSize());
            int classes = NetworkState.classes(net);
            double lossSum = 0;
            long samples = 0;
            for (int i = 0; i < plan.steps(); i++) {
                long step = plan.firstStep() + i;
                MinibatchState batch = minibatchState(block, order, step, classes, worker, plan.seed());
                fire(Event.BATCH_START, batch);
                NetworkState.setLearningRate(net, plan.learningRates().rate(step));
                net.fit(toDataSet(batch));
                batch.setLoss(net.score());
                fire(Event.BATCH_END, batch);
                lossSum += batch.loss();
                samples += batch.count();
            }
            ParameterState end = NetworkState.capture(net);
            return new RoundResult(end.parameters(), end.updaterState(), 1, lossSum, plan.steps(), samples);
        } finally {
            NetworkPool.release(modelJson, net);
        }
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
                                                int worker, long seed) {
        int[] permutation = order.order(order.epochOf(step));
        int from = order.offsetOf(step);
        int count = order.countOf(step);
        float[] features = new float[count * block.featureSize()];
        float[] labels = new float[count * classes];
        block.fillFeatures(permutation, from, count, features);
        block.fillOneHot(permutation, from, count, classes, labels);
        return new MinibatchState(features, labels, count, block.featureSize(), classes, step, worker, seed);
    }

    /** The same minibatch as DL4J arrays, with no algorithm applied. */
    public static DataSet minibatch(ExampleBlock block, BatchOrder order, long step, int classes) {
        return toDataSet(minibatchState(block, order, step, classes, 0, 0));
    }

    private static DataSet toDataSet(MinibatchState batch) {
        INDArray x = Nd4j.create(batch.features(), new long[] {batch.count(), batch.featureSize()}, 'c');
        INDArray y = Nd4j.create(batch.labels(), new long[] {batch.count(), batch.classes()}, 'c');
        return new DataSet(x, y);
    }
}
