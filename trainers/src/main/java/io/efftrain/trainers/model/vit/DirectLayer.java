package io.efftrain.trainers.model.vit;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A ViT layer computed directly with ND4J ops, forward and backward written out, rather than through SameDiff:
 * DL4J 1.0.0-M2.1 runs a SameDiff layer's graph op by op through its inference session, whose bookkeeping cost
 * about a millisecond per op on this machine (a depth-6 ViT of width 8, nearly no arithmetic, took a quarter of
 * the width-64 network's step), where one ND4J op costs microseconds. It keeps DL4J's SameDiff layer
 * plumbing (the flat parameter and gradient views, the parameter table, JSON, updaters); only the two passes
 * are its own.
 *
 * <p>Memory: the forward pass allocates in DL4J's activation workspace, which in training stays open until the
 * backward pass is done and is reused by the next step, so what the backward pass needs can stay in fields; the
 * backward pass allocates in DL4J's per-layer working memory. Arrays outside workspaces would be freed only when
 * the JVM collects their small Java objects, which a 6 GB heap does rarely: off-heap memory grew past 17 GB in
 * two minutes of training that way.
 */
abstract class DirectLayer extends SameDiffLayer {
    DirectLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    /** The output for {@code input}, keeping what {@link #backward} needs if {@code training}. */
    abstract INDArray forward(INDArray input, boolean training);

    /**
     * The input's gradient for the output's gradient {@code outGrad}, writing the parameters' gradients into
     * {@link #grad}'s views.
     */
    abstract INDArray backward(INDArray outGrad);

    /** A parameter, as the view its {@code SDLayerParams} shape gives it. */
    INDArray param(String name) {
        return paramTable.get(name);
    }

    /** A parameter's gradient view (DL4J's updater reads these). */
    INDArray grad(String name) {
        return gradTable.get(name);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        try (MemoryWorkspace ignored = workspaceMgr.notifyScopeBorrowed(ArrayType.ACTIVATIONS)) {
            return workspaceMgr.leverageTo(ArrayType.ACTIVATIONS, forward(input, training));
        }
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        // The backward passes never write into the incoming gradient, so it needs copying only to get c order.
        INDArray outGrad = epsilon.ordering() == 'c' ? epsilon : epsilon.dup('c');
        INDArray inputGrad = workspaceMgr.leverageTo(ArrayType.ACTIVATION_GRAD, backward(outGrad));
        Gradient gradient = new DefaultGradient();
        for (String name : paramTable.keySet()) {
            gradient.gradientForVariable().put(name, gradTable.get(name));
        }
        return new Pair<>(gradient, inputGrad);
    }

    /**
     * [examples, tokens, width] (any layout) as c-ordered [examples * tokens, width] rows: a view where the layout
     * allows (reshape copies where it must), so callers must not write into it.
     */
    static INDArray rows(INDArray sequence, long width) {
        return sequence.reshape('c', -1, width);
    }
}
