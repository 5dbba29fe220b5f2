package io.efftrain.trainers.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/**
 * The few things training and evaluation need from a DL4J network, for both kinds efftrain builds: a
 * {@link MultiLayerNetwork} (a stack of layers) and a {@link ComputationGraph} (ResNet's shortcuts need a graph).
 * DL4J's own common interface ({@link Model}) lacks fit on a DataSet, inference and the updater state.
 */
public interface Network {
    /** The DL4J model, for saving. */
    Model model();

    /** All parameters as one flat view (writes go into the network). */
    INDArray params();

    /** The updater's state as one flat view (momentum, Adam moments), or null for a stateless updater. */
    INDArray updaterState();

    /** DL4J's iteration counter (Adam's and LAMB's bias correction read it). */
    int iterationCount();

    void setIterationCount(int iterations);

    /** The layers, input first (a graph's in topological order, the order of its flat parameters). */
    Layer[] layers();

    /** One training step on a minibatch (its labels mask, if any, weighs each example's loss). */
    void fit(DataSet minibatch);

    /**
     * One training step that also returns each example's loss, unweighted, against {@code labels} (count x
     * classes, row after row), at the parameters the step's gradient was taken at. Free for softmax output
     * layers (see {@link ForwardPassLosses}); otherwise one extra forward pass before the step.
     */
    float[] fitWithExampleLosses(DataSet minibatch, float[] labels);

    /**
     * Holds the first {@code count} layers fixed in the steps that follow (0 releases them): they run forward only,
     * in inference mode, and backpropagation stops above them, so their backward pass costs nothing. A network
     * kind that cannot stop backpropagation early computes it anyway and returns false; the caller still keeps
     * the layers' weights fixed either way.
     *
     * @return whether the frozen layers' backward pass is skipped
     */
    default boolean freezeLeadingLayers(int count) {
        return false;
    }

    /**
     * Each example's loss, unweighted, of {@code output} (this network's output for a minibatch) against
     * {@code labels}: cross-entropy for a softmax, the network's own loss for regression.
     */
    float[] exampleLosses(INDArray output, float[] labels);

    /** The loss of the last minibatch fitted. */
    double score();

    /**
     * The class probabilities for {@code features}; {@code training} selects training-mode layers (batch
     * statistics in BatchNorm), which change no parameters.
     */
    INDArray output(INDArray features, boolean training);

    /** The arrays this network's minibatches are copied into, reused from step to step. */
    MinibatchArrays minibatchArrays();

    /** The number of classes the output layer predicts (1 for a regression network: its one output). */
    int classes();

    /** Wraps a DL4J network. */
    static Network of(Model model) {
        if (model instanceof MultiLayerNetwork net) {
            return new LayerStack(net);
        }
        if (model instanceof ComputationGraph graph) {
            return new LayerGraph(graph);
        }
        throw new IllegalArgumentException("not a network efftrain can train: " + model.getClass().getName());
    }
}
