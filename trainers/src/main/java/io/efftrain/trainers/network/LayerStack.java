package io.efftrain.trainers.network;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.layers.FrozenLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.indexing.NDArrayIndex;

/** A {@link MultiLayerNetwork} as a {@link Network}: every call goes straight through. */
final class LayerStack implements Network {
    private final MinibatchArrays arrays = new MinibatchArrays();
    private final MultiLayerNetwork net;
    private ForwardPassLosses lossListener;
    /** The wrappers of frozen layers, made once per layer; the first {@link #frozen} are in the stack now. */
    private FrozenLayer[] wrappers;
    private int frozen;

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

    /**
     * Swaps the first layers for DL4J's {@link FrozenLayer} wrappers: {@code MultiLayerNetwork}'s backpropagation
     * stops at the first one it meets from the top, and a wrapper's parameters are its layer's own views, so the
     * flat parameter and updater layouts the averaging relies on do not change. The frozen layers' part of the
     * gradient view is zeroed, since nothing writes it while they are frozen and the updater reads all of it.
     */
    @Override
    public boolean freezeLeadingLayers(int count) {
        Layer[] layers = net.getLayers();
        int target = Math.max(0, Math.min(count, layers.length - 1));
        if (target == frozen) {
            return true;
        }
        if (wrappers == null) {
            wrappers = new FrozenLayer[layers.length];
        }
        for (int i = 0; i < frozen; i++) {
            layers[i] = wrappers[i].getInsideLayer();
        }
        long leading = 0;
        for (int i = 0; i < target; i++) {
            if (wrappers[i] == null || wrappers[i].getInsideLayer() != layers[i]) {
                wrappers[i] = new FrozenLayer(layers[i]);
            }
            leading += layers[i].numParams();
            layers[i] = wrappers[i];
        }
        frozen = target;
        INDArray gradient = net.getGradientsViewArray();
        if (leading > 0 && gradient != null) {
            gradient.reshape(gradient.length()).get(NDArrayIndex.interval(0, leading)).assign(0);
        }
        return true;
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
