package io.efftrain.trainers.averaging;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.trainers.network.NetworkSpec;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Scores a block with the broadcast model, where the block lives: accuracy and cross-entropy counts, or for a
 * block of regression targets squared and absolute errors.
 */
public final class EvaluateBlock implements BlockTask<ParameterState, EvaluationCounts> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 500;

    private final NetworkSpec spec;

    public EvaluateBlock(NetworkSpec spec) {
        this.spec = spec;
    }

    @Override
    public EvaluationCounts apply(ParameterState model, int blockIndex, ExampleBlock block) {
        return NetworkPool.withNetwork(spec, net -> {
            NetworkState.load(net, model);
            int classes = net.classes();
            int[] identity = Permutations.identity(block.size());
            long correct = 0;
            double lossSum = 0;
            double squared = 0;
            double absolute = 0;
            float[] features = new float[BATCH * block.featureSize()];
            for (int from = 0; from < block.size(); from += BATCH) {
                int count = Math.min(BATCH, block.size() - from);
                block.fillFeatures(identity, from, count, features);
                INDArray x = net.minibatchArrays().features(features, count, block.featureSize());
                INDArray output = net.output(x, false);
                if (block.regression()) {
                    float[] predictions = output.ravel().toFloatVector();
                    float[] labels = new float[count * ExampleBlock.REGRESSION_LABEL_WIDTH];
                    block.fillLabels(identity, from, count, classes, labels);
                    float[] losses = net.exampleLosses(output, labels);
                    for (int i = 0; i < count; i++) {
                        double error = predictions[i] - block.target(from + i);
                        squared += error * error;
                        absolute += Math.abs(error);
                        lossSum += losses[i];
                    }
                    continue;
                }
                float[] probabilities = output.ravel().toFloatVector();
                for (int i = 0; i < count; i++) {
                    int label = block.label(from + i);
                    int best = 0;
                    for (int c = 1; c < classes; c++) {
                        if (probabilities[i * classes + c] > probabilities[i * classes + best]) {
                            best = c;
                        }
                    }
                    if (best == label) {
                        correct++;
                    }
                    lossSum -= Math.log(Math.max(probabilities[i * classes + label], 1e-12f));
                }
            }
            return new EvaluationCounts(correct, block.size(), lossSum, squared, absolute);
        });
    }
}
