package io.efftrain.trainers.model.vit;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The pieces the ViT layers share: the sequence type, LayerNorm and a linear map in SameDiff, initialisation. */
final class SequenceOps {
    /** LayerNorm's epsilon, PyTorch's default, so the PyTorch peer and the reference compute the same function. */
    static final double LAYER_NORM_EPSILON = 1e-5;

    /** Position embeddings and the class token start as N(0, 0.02^2), as in the ViT reference implementations. */
    static final double EMBEDDING_STD = 0.02;

    private SequenceOps() {
    }

    /** A sequence of {@code tokens} tokens of {@code width} values, stored [examples, tokens, width]. */
    static InputType sequence(int tokens, int width) {
        return InputType.recurrent(width, tokens, RNNFormat.NWC);
    }

    /**
     * LayerNorm over the last dimension of a [rows, width] matrix: mean and biased variance per row, then the learned
     * gain and bias. Written out rather than SameDiff's fused layer_norm op so its epsilon is PyTorch's.
     */
    static SDVariable layerNorm(SameDiff sd, SDVariable rows, SDVariable gain, SDVariable bias) {
        SDVariable centred = rows.sub(rows.mean(true, 1));
        SDVariable variance = sd.math.square(centred).mean(true, 1);
        return centred.mul(sd.math.rsqrt(variance.add(LAYER_NORM_EPSILON))).mul(gain).add(bias);
    }

    /** rows x weights + bias. */
    static SDVariable linear(SDVariable rows, SDVariable weights, SDVariable bias) {
        return rows.mmul(weights).add(bias);
    }

    /** Fills {@code array} with N(0, std^2) from ND4J's generator (seeded by the network's seed). */
    static void normal(INDArray array, double std) {
        array.assign(Nd4j.randn(array.dataType(), array.shape()).muli(std));
    }
}
