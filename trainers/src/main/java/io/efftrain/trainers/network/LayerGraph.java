package io.efftrain.trainers.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** A single-input, single-output {@link ComputationGraph} as a {@link Network}. */
final class LayerGraph implements Network {
    private final MinibatchArrays arrays = new MinibatchArrays();
    private final ComputationGraph graph;
    private ForwardPassLosses lossListener;

    LayerGraph(ComputationGraph graph) {
        this.graph = graph;
        ComputationGraphUpdater updater = graph.getUpdater();
        if (updater != null && updater.getClass() == ComputationGraphUpdater.class) {
            graph.setUpdater(new OwnViewGraphUpdater(graph, updater.getStateViewArray()));
        }
    }

    @Override
    public MinibatchArrays minibatchArrays() {
        return arrays;
    }

    @Override
    public ComputationGraph model() {
        return graph;
    }

    @Override
    public INDArray params() {
        return graph.params();
    }

    @Override
    public INDArray updaterState() {
        ComputationGraphUpdater updater = graph.getUpdater();
        return updater == null ? null : updater.getStateViewArray();
    }

    @Override
    public int iterationCount() {
        return graph.getIterationCount();
    }

    @Override
    public void setIterationCount(int iterations) {
        graph.getConfiguration().setIterationCount(iterations);
    }

    @Override
    public Layer[] layers() {
        return graph.getLayers();
    }

    @Override
    public void fit(DataSet minibatch) {
        graph.fit(minibatch);
    }

    @Override
    public float[] fitWithExampleLosses(DataSet minibatch, float[] labels) {
        if (!ForwardPassLosses.supports(graph.getOutputLayer(0))) {
            float[] losses = exampleLosses(output(minibatch.getFeatures(), true), labels);
            fit(minibatch);
            return losses;
        }
        if (lossListener == null) {
            lossListener = new ForwardPassLosses(graph.getOutputLayer(0), graph.getConfiguration().getVertexInputs().get(graph.getConfiguration().getNetworkOutputs().get(0)).get(0));
            graph.addListeners(lossListener);
        }
        lossListener.arm(labels, classes());
        fit(minibatch);
        return lossListener.take();
    }

    @Override
    public float[] exampleLosses(INDArray output, float[] labels) {
        return ExampleLosses.of(graph.getOutputLayer(0), output, labels, classes());
    }

    @Override
    public double score() {
        return graph.score();
    }

    @Override
    public INDArray output(INDArray features, boolean training) {
        return graph.outputSingle(training, features);
    }

    @Override
    public int classes() {
        return (int) ((FeedForwardLayer) graph.getOutputLayer(0).conf().getLayer()).getNOut();
    }
}
