package io.efftrain.trainers.model.vit;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.samediff.SameDiffLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's SameDiff layer with its gradients corrected: in 1.0.0-M2.1 the gradient function it derives adds the
 * incoming gradient to itself ({@code add(out-grad, out-grad)} behind the {@code ExternalErrorsFn} op, visible in
 * {@code sameDiff.getFunction("grad").summary()}), so every parameter and input gradient comes out twice the true
 * one: each SameDiff layer doubles the gradients of everything before it. Halving the incoming gradient first
 * gives exactly the true gradients (both steps are exact in floating point, the backward pass being linear in
 * it). {@code VitLayersTest}'s gradient check fails if a DL4J upgrade fixes the doubling and this is left in.
 * Only the tests run it: the ViT layers' SameDiff definitions are the reference for their direct ND4J versions.
 */
final class SingleGradientSameDiffLayer extends SameDiffLayer {
    SingleGradientSameDiffLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        return super.backpropGradient(epsilon.mul(0.5), workspaceMgr);
    }
}
