package io.efftrain.trainers.scoring;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.scoring.ExampleScorer;
import io.efftrain.pipeline.scoring.ExampleScores;
import io.efftrain.trainers.averaging.NetworkPool;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.averaging.Permutations;
import io.efftrain.trainers.averaging.TaskDevice;
import java.util.Arrays;
import java.util.List;
import io.efftrain.trainers.network.Network;
import io.efftrain.trainers.network.NetworkSpec;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Scores examples with a (briefly trained) proxy network, in one forward pass per minibatch: the softmax output
 * gives loss, EL2N, margin and correctness; the output layer's input activations give GraNd in closed form.
 *
 * <p>GraNd here is the norm of the gradient of the example's cross-entropy with respect to the output layer's
 * weights W and bias b. With softmax and cross-entropy, dL/dz = p - y, so dL/dW = h (p - y)^T and dL/db = p - y,
 * and the norm is ||p - y|| * sqrt(||h||^2 + 1), where h is the output layer's input. Paul et al. use the
 * gradient over all parameters; the last layer's share is the usual approximation and ranks examples nearly
 * the same, at the cost of a forward pass instead of a backward pass per example.
 */
public final class ProxyScorer implements ExampleScorer {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 500;

    private final NetworkSpec spec;
    private final ParameterState model;

    /**
     * @param spec the proxy network's configuration
     * @param model its trained parameters
     */
    public ProxyScorer(NetworkSpec spec, ParameterState model) {
        this.spec = spec;
        this.model = model;
    }

    @Override
    public ExampleScores score(ExampleBlock block) {
        TaskDevice.bindToAssignedGpu();
        int n = block.size();
        double[] loss = new double[n];
        double[] el2n = new double[n];
        double[] grand = new double[n];
        double[] margin = new double[n];
        boolean[] correct = new boolean[n];
        Network net = NetworkPool.borrow(spec);
        try {
            NetworkState.load(net, model);
            int[] identity = Permutations.identity(n);
            int size = block.featureSize();
            float[] features = new float[BATCH * size];
            for (int from = 0; from < n; from += BATCH) {
                int count = Math.min(BATCH, n - from);
                block.fillFeatures(identity, from, count, features);
                float[] exact = count == BATCH ? features : Arrays.copyOf(features, count * size);
                INDArray[] outputAndInput = outputAndItsInput(net, Nd4j.create(exact, new long[] {count, size}, 'c'));
                float[][] p = outputAndInput[0].toFloatMatrix();
                float[][] h = outputAndInput[1].reshape(count, -1).toFloatMatrix();
                for (int i = 0; i < count; i++) {
                    int at = from + i;
                    int label = block.label(at);
                    double squaredError = 0;
                    int best = -1;
                    double bestOther = 0;
                    for (int c = 0; c < p[i].length; c++) {
                        double target = c == label ? 1 : 0;
                        squaredError += (p[i][c] - target) * (p[i][c] - target);
                        if (c != label && (best < 0 || p[i][c] > bestOther)) {
                            best = c;
                            bestOther = p[i][c];
                        }
                    }
                    double hSquared = 0;
                    for (float v : h[i]) {
                        hSquared += v * v;
                    }
                    loss[at] = -Math.log(Math.max(p[i][label], 1e-12));
                    el2n[at] = Math.sqrt(squaredError);
                    grand[at] = el2n[at] * Math.sqrt(hSquared + 1);
                    margin[at] = p[i][label] - bestOther;
                    correct[at] = p[i][label] > bestOther;
                }
            }
        } finally {
            NetworkPool.release(spec, net);
        }
        return new ExampleScores(loss, el2n, grand, margin, correct);
    }

    /** The softmax output and the output layer's input activations, in inference mode. */
    private static INDArray[] outputAndItsInput(Network net, INDArray features) {
        if (net.model() instanceof MultiLayerNetwork mln) {
            List<INDArray> activations = mln.feedForward(features, false);
            return new INDArray[] {activations.get(activations.size() - 1), activations.get(activations.size() - 2)};
        }
        ComputationGraph graph = (ComputationGraph) net.model();
        String output = graph.getConfiguration().getNetworkOutputs().get(0);
        String input = graph.getConfiguration().getVertexInputs().get(output).get(0);
        Map<String, INDArray> activations = graph.feedForward(features, false);
        return new INDArray[] {activations.get(output), activations.get(input)};
    }
}
