package io.efftrain.trainers.model;

import io.efftrain.pipeline.config.ModelSettings;
import io.efftrain.pipeline.config.OptimizerSettings;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Builds DL4J network configurations from efftrain's model settings. */
public final class Models {
    private Models() {
    }

    /**
     * The network for {@code settings}, taking flat input vectors of {@code input} and predicting
     * {@code classes} classes with a softmax.
     */
    public static MultiLayerConfiguration build(ModelSettings settings, OptimizerSettings optimizer,
                                                InputShape input, int classes, long seed) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU)
                .updater(updater(optimizer))
                .l2(optimizer.l2());
        optimizer.gradientClip().ifPresent(norm -> builder
                .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(norm));
        NeuralNetConfiguration.ListBuilder list = builder.list();
        switch (settings.type()) {
            case LENET -> {
                list.layer(new ConvolutionLayer.Builder(5, 5).nIn(input.channels()).stride(1, 1)
                        .nOut(settings.lenetConv1Channels()).activation(Activation.RELU).build());
                list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build());
                list.layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1)
                        .nOut(settings.lenetConv2Channels()).activation(Activation.RELU).build());
                list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build());
                list.layer(new DenseLayer.Builder().nOut(settings.lenetDenseUnits()).activation(Activation.RELU).build());
                list.setInputType(inputType(settings, input));
            }
            case MLP -> {
                for (int width : settings.mlpHidden()) {
                    list.layer(new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build());
                }
                list.setInputType(inputType(settings, input));
            }
            default -> throw new IllegalArgumentException("no builder for model type " + settings.type());
        }
        list.layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                .nOut(classes).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build());
        return list.build();
    }

    /** How the network sees one example: flat pixels, reshaped to an image for convolutional models. */
    public static InputType inputType(ModelSettings settings, InputShape input) {
        return switch (settings.type()) {
            case LENET -> InputType.convolutionalFlat(input.rows(), input.columns(), input.channels());
            case MLP -> InputType.feedForward(input.size());
        };
    }

    /** The DL4J updater for the optimizer settings, at the base learning rate (schedules rescale it). */
    public static IUpdater updater(OptimizerSettings optimizer) {
        return switch (optimizer.type()) {
            case SGD -> new Sgd(optimizer.learningRate());
            case NESTEROVS -> new Nesterovs(optimizer.learningRate(), optimizer.momentum());
            case ADAM -> new Adam(optimizer.learningRate());
        };
    }
}
