package io.efftrain.trainers.model.vit;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The pieces the ViT layers share: the sequence type, LayerNorm, GELU and linear maps, each forward and backward
 * on [rows, width] matrices with plain ND4J ops (one native call each), their SameDiff definitions (the reference
 * the tests compare against), and initialisation.
 */
final class SequenceOps {
    /** LayerNorm's epsilon, PyTorch's default, so the PyTorch peer and the reference compute the same function. */
    static final double LAYER_NORM_EPSILON = 1e-5;

    /** Position embeddings and the class token start as N(0, 0.02^2), as in the ViT reference implementations. */
    static final double EMBEDDING_STD = 0.02;

    /** GELU's tanh form (Hendrycks and Gimpel; JAX's default, which the ViT paper's code used): sqrt(2 / pi). */
    private static final double GELU_C = Math.sqrt(2 / Math.PI);
    private static final double GELU_A = 0.044715;

    private SequenceOps() {
    }

    /** A sequence of {@code tokens} tokens of {@code width} values, stored [examples, tokens, width]. */
    static InputType sequence(int tokens, int width) {
        return InputType.recurrent(width, tokens, RNNFormat.NWC);
    }

    /** What LayerNorm's backward pass needs: the normalised rows (before gain and bias) and 1 / std per row. */
    record Normalised(INDArray out, INDArray xhat, INDArray rstd) {
    }

    /** LayerNorm of each row of [rows, width]: mean and biased variance per row, then gain and bias [1, width]. */
    static Normalised layerNorm(INDArray rows, INDArray gain, INDArray bias) {
        long n = rows.size(0);
        INDArray centred = rows.subColumnVector(rows.mean(1).reshape(n, 1));
        INDArray rstd = Transforms.pow(centred.mul(centred).mean(1).addi(LAYER_NORM_EPSILON), -0.5, false)
                .reshape(n, 1);
        INDArray xhat = centred.muliColumnVector(rstd);
        return new Normalised(xhat.mulRowVector(gain).addiRowVector(bias), xhat, rstd);
    }

    /**
     * LayerNorm's backward pass: adds the gain's and bias's gradients into {@code gainGrad} and {@code biasGrad}
     * ([1, width]) and returns the rows' gradient.
     */
    static INDArray layerNormBackward(Normalised forward, INDArray gain, INDArray outGrad, INDArray gainGrad,
                                      INDArray biasGrad) {
        long n = outGrad.size(0);
        gainGrad.addi(outGrad.mul(forward.xhat()).sum(true, 0));
        biasGrad.addi(outGrad.sum(true, 0));
        INDArray dxhat = outGrad.mulRowVector(gain);
        // dx = rstd * (dxhat - mean(dxhat) - xhat * mean(dxhat * xhat)), per row
        INDArray projection = dxhat.mul(forward.xhat()).mean(1).reshape(n, 1);
        return dxhat.subiColumnVector(dxhat.mean(1).reshape(n, 1))
                .subi(forward.xhat().mulColumnVector(projection)).muliColumnVector(forward.rstd());
    }

    /** rows x weights + bias. */
    static INDArray linear(INDArray rows, INDArray weights, INDArray bias) {
        return rows.mmul(weights).addiRowVector(bias);
    }

    /**
     * A linear map's backward pass: the weights' and bias's gradients written into {@code weightGrad} and
     * {@code biasGrad}, the rows' gradient returned (null if not wanted).
     */
    static INDArray linearBackward(INDArray rows, INDArray weights, INDArray outGrad, INDArray weightGrad,
                                   INDArray biasGrad, boolean inputGrad) {
        Nd4j.gemm(rows, outGrad, weightGrad, true, false, 1.0, 0.0);
        biasGrad.assign(outGrad.sum(true, 0));
        return inputGrad ? Nd4j.gemm(outGrad, weights, false, true) : null;
    }

    /** GELU, tanh form: 0.5 z (1 + t), t = {@link #geluTanh}(z). */
    static INDArray gelu(INDArray z, INDArray t) {
        return t.add(1).muli(z).muli(0.5);
    }

    /** The gradient through GELU at {@code z}, given t = {@link #geluTanh}(z) from the forward pass. */
    static INDArray geluBackward(INDArray z, INDArray t, INDArray outGrad) {
        // 0.5 (1 + t) + 0.5 z (1 - t^2) c (1 + 3 a z^2)
        INDArray inner = z.mul(z).muli(3 * GELU_A).addi(1).muli(GELU_C).muli(z).muli(0.5);
        INDArray slope = t.mul(t).rsubi(1).muli(inner).addi(t.add(1).muli(0.5));
        return slope.muli(outGrad);
    }

    /** tanh(sqrt(2 / pi) (z + 0.044715 z^3)), which GELU's value and slope share. */
    static INDArray geluTanh(INDArray z) {
        return Transforms.tanh(z.mul(z).muli(z).muli(GELU_A).addi(z).muli(GELU_C), false);
    }

    /** LayerNorm in SameDiff (the reference): written out so its epsilon is PyTorch's. */
    static SDVariable layerNorm(SameDiff sd, SDVariable rows, SDVariable gain, SDVariable bias) {
        SDVariable centred = rows.sub(rows.mean(true, 1));
        SDVariable variance = sd.math.square(centred).mean(true, 1);
        return centred.mul(sd.math.rsqrt(variance.add(LAYER_NORM_EPSILON))).mul(gain).add(bias);
    }

    /** GELU's tanh form in SameDiff (the reference; ND4J's precise_gelu is not it: 0.079 off at z = -2). */
    static SDVariable gelu(SameDiff sd, SDVariable z) {
        SDVariable inner = z.add(sd.math.pow(z, 3).mul(GELU_A)).mul(GELU_C);
        return z.mul(0.5).mul(sd.math.tanh(inner).add(1));
    }

    /** rows x weights + bias, in SameDiff. */
    static SDVariable linear(SDVariable rows, SDVariable weights, SDVariable bias) {
        return rows.mmul(weights).add(bias);
    }

    /** Fills {@code array} with N(0, std^2) from ND4J's generator (seeded by the network's seed). */
    static void normal(INDArray array, double std) {
        array.assign(Nd4j.randn(array.dataType(), array.shape()).muli(std));
    }
}
