package io.efftrain.trainers.averaging;

import io.efftrain.pipeline.data.ExampleBlock;
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
                DataSet batch = minibatch(block, order, step, classes);
                NetworkState.setLearningRate(net, plan.learningRates().rate(step));
                net.fit(batch);
                lossSum += net.score();
                samples += batch.numExamples();
            }
            ParameterState end = NetworkState.capture(net);
            return new RoundResult(end.parameters(), end.updaterState(), 1, lossSum, plan.steps(), samples);
        } finally {
            NetworkPool.release(modelJson, net);
        }
    }

    /** The minibatch of global step {@code step} for this worker: features in [0, 1], one-hot labels. */
    public static DataSet minibatch(ExampleBlock block, BatchOrder order, long step, int classes) {
        int[] permutation = order.order(order.epochOf(step));
        int from = order.offsetOf(step);
        int count = order.countOf(step);
        float[] features = new float[count * block.featureSize()];
        float[] labels = new float[count * classes];
        block.fillFeatures(permutation, from, count, features);
        block.fillOneHot(permutation, from, count, classes, labels);
        INDArray x = Nd4j.create(features, new long[] {count, block.featureSize()}, 'c');
        INDArray y = Nd4j.create(labels, new long[] {count, classes}, 'c');
        return new DataSet(x, y);
    }
}
