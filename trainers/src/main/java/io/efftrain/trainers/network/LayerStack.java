package io.efftrain.trainers.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** A {@link MultiLayerNetwork} as a {@link Network}: every call goes straight through. */
final class LayerStack implements Network {
    private final MinibatchArrays arrays = new MinibatchArrays();
    private final MultiLayerNetwork net;
    private ForwardPassLosses lossListener;

    LayerStack(MultiLayerNetwork net) {
        this.net = net;
        Updater updater = net.getUpdater();
        if (updater != null && updater.getClass() == MultiLayerUpdater.class) {
            net.setUpdater(new OwnViewUpdater(net, updater.getStateViewArray()));
        }
    }

    @Override
    public MinibatchArrays minibatchArrays() {
        return arrays;
    }

    @Override
    public MultiLayerNetwork model() {
        return net;
    }

    @Override
    public INDArray params() {
        return net.params();
    }

    @Override
    public INDArray updaterState() {
        Updater updater = net.getUpdater();
        return updater == null ? null : updater.getStateViewArray();
    }

    @Override
    public int iterationCount() {
        return net.getIterationCount();
    }

    @Override
    public void setIterationCount(int iterations) {
        net.setIterationCount(iterations);
    }

    @Override
    public Layer[] layers() {
        return net.getLayers();
    }

    @Override
    public void fit(DataSet minibatch) {
        net.fit(minibatch);
    }

    @Override
    public float[] fitWithExampleLosses(DataSet minibatch, float[] labels) {
        if (!ForwardPassLosses.supports(net.getOutputLayer())) {
            float[] losses = exampleLosses(output(minibatch.getFeatures(), true), labels);
            fit(minibatch);
            return losses;
        }
        if (lossListener == null) {
            lossListener = new ForwardPassLosses(net.getOutputLayer(), null);
            net.addListeners(lossListener);
        }
        lossListener.arm(labels, classes());
        fit(minibatch);
        return lossListener.take();
    }

    @Override
    public float[] exampleLosses(INDArray output, float[] labels) {
        return ExampleLosses.of(net.getOutputLayer(), output, labels, classes());
    }

    @Override
    public double score() {
        return net.score();
    }

    @Override
    public INDArray output(INDArray features, boolean training) {
        return net.output(features, training);
    }

    @Override
    public int classes() {
        return (int) ((FeedForwardLayer) net.getOutputLayer().conf().getLayer()).getNOut();
    }
}
