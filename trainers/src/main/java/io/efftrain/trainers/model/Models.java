package io.efftrain.trainers.model;

import io.efftrain.pipeline.config.ConvolutionKernels;
import io.efftrain.pipeline.config.ModelSettings;
import io.efftrain.pipeline.config.OptimizerSettings;
import io.efftrain.pipeline.config.Precision;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.trainers.algorithms.lamb.LambOptimizer;
import io.efftrain.trainers.algorithms.lars.LarsOptimizer;
import io.efftrain.trainers.engine.ConvPoolBlock;
import io.efftrain.trainers.engine.ConvPoolGeometry;
import io.efftrain.trainers.engine.HostAdam;
import io.efftrain.trainers.engine.ReluDense;
import io.efftrain.trainers.network.NetworkSpec;
import java.util.Locale;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** Builds DL4J network configurations from efftrain's model settings. */
public final class Models {
    private Models() {
    }

    /**
     * The network for {@code settings}, taking flat input vectors of {@code input} and predicting
     * {@code classes} classes with a softmax (or, for model.task = regression, one number), computing in
     * {@code precision}.
     */
    public static NetworkSpec build(ModelSettings settings, OptimizerSettings optimizer, Precision precision,
                                    InputShape input, int classes, long seed) {
        if (settings.kernels() == ConvolutionKernels.FAST_CPU
                && settings.type() != io.efftrain.pipeline.config.ModelType.LENET
                && settings.type() != io.efftrain.pipeline.config.ModelType.MLP) {
            throw EfftrainException.badConfig("model.kernels = fast-cpu: the fast CPU layers build model.type = lenet "
                    + "and mlp only, not " + settings.type().name().toLowerCase(Locale.ROOT).replace('_', '-')
                    + "; set model.kernels = auto (or dl4j).");
        }
        if (settings.type() == io.efftrain.pipeline.config.ModelType.DL4J_JSON) {
            return LayerNetworks.fromJson(settings.dl4jJson().orElseThrow(), classes);
        }
        NeuralNetConfiguration.Builder builder = base(optimizer, precision, settings.kernels(), seed);
        if (settings.type() == io.efftrain.pipeline.config.ModelType.KERAS) {
            return KerasNetworks.load(settings.keras().orElseThrow(), classes, builder);
        }
        if (settings.type() == io.efftrain.pipeline.config.ModelType.LAYERS) {
            return LayerNetworks.build(builder, settings.layers(), input, OutputLayers.of(settings, classes));
        }
        if (settings.type() == io.efftrain.pipeline.config.ModelType.RESNET) {
            return NetworkSpec.of(ResNets.build(builder, settings, input, classes));
        }
        if (settings.type() == io.efftrain.pipeline.config.ModelType.VIT) {
            int patch = settings.vit().patch();
            if (input.rows() % patch != 0 || input.columns() % patch != 0) {
                throw EfftrainException.badConfig("model.vit.patch = " + patch + " does not divide the "
                        + input.rows() + "x" + input.columns() + " images; use a patch that divides both sides "
                        + "(4, 7 or 14 for 28x28).");
            }
            return LayerNetworks.build(builder, settings.vit().layers(), input, OutputLayers.of(settings, classes));
        }
        NeuralNetConfiguration.ListBuilder list = builder.list();
        switch (settings.type()) {
            case LENET -> {
                if (fastCpu(settings.kernels(), precision)) {
                    fastLenet(list, settings, precision, input);
                    break;
                }
                list.layer(new ConvolutionLayer.Builder(5, 5).nIn(input.channels()).stride(1, 1)
                        .nOut(settings.lenetConv1Channels()).activation(Activation.RELU).build());
                list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build());
                list.layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1)
                        .nOut(settings.lenetConv2Channels()).activation(Activation.RELU).build());
                list.layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX)
                        .kernelSize(2, 2).stride(2, 2).build());
                list.layer(new DenseLayer.Builder().nOut(settings.lenetDenseUnits()).activation(Activation.RELU).build());
            }
            case MLP -> {
                boolean fast = fastCpu(settings.kernels(), precision);
                for (int width : settings.mlpHidden()) {
                    list.layer(fast ? new ReluDense.Builder().nOut(width).build()
                            : new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build());
                }
            }
            default -> throw new IllegalArgumentException("no layer stack for model type " + settings.type());
        }
        list.setInputType(inputType(settings, precision, input));
        list.layer(OutputLayers.of(settings, classes));
        return NetworkSpec.of(list.build());
    }

    /**
     * Whether the LeNet uses efftrain's fast CPU blocks: they need float32 host memory, so {@code auto} picks them
     * only for float32 on the CPU backend, and an explicit {@code fast-cpu} anywhere else is a config error.
     */
    static boolean fastCpu(ConvolutionKernels kernels, Precision precision) {
        boolean possible = precision == Precision.FLOAT32 && onCpuBackend();
        if (kernels == ConvolutionKernels.FAST_CPU && !possible) {
            throw EfftrainException.badConfig("model.kernels = fast-cpu computes in float32 on the CPU backend "
                    + "only, but train.precision = " + precision.name().toLowerCase(Locale.ROOT) + " and the backend is "
                    + (onCpuBackend() ? "the CPU" : "not the CPU") + "; set model.kernels = dl4j (or auto).");
        }
        return kernels != ConvolutionKernels.DL4J && possible;
    }

    private static boolean onCpuBackend() {
        return Nd4j.getEnvironment().isCPU();
    }

    /**
     * The LeNet's feature layers as efftrain's NHWC convolution + pool blocks. The first block reads the canonical
     * channel-major pixels; the rest pass NHWC rows along, so no layer reshapes anything.
     */
    private static void fastLenet(NeuralNetConfiguration.ListBuilder list, ModelSettings settings,
                                  Precision precision, InputShape input) {
        ConvPoolGeometry first;
        try {
            first = new ConvPoolGeometry(input.rows(), input.columns(), input.channels(), 5,
                    settings.lenetConv1Channels(), 2);
            new ConvPoolGeometry(first.pooledRows(), first.pooledColumns(), first.filters(), 5,
                    settings.lenetConv2Channels(), 2);
        } catch (IllegalArgumentException e) {
            throw EfftrainException.badConfig("model.type = lenet does not fit " + input.rows() + "x"
                    + input.columns() + " images: " + e.getMessage() + ". LeNet needs sides of 4k + 12 "
                    + "pixels (28 for Fashion-MNIST, 32 for CIFAR).");
        }
        list.layer(new ConvPoolBlock.Builder().input(input.rows(), input.columns(), input.channels())
                .channelsFirst(true).kernel(5).pool(2).nOut(settings.lenetConv1Channels()).build());
        list.layer(new ConvPoolBlock.Builder().input(first.pooledRows(), first.pooledColumns(), first.filters())
                .kernel(5).pool(2).nOut(settings.lenetConv2Channels()).build());
        list.layer(new ReluDense.Builder().nOut(settings.lenetDenseUnits()).build());
    }

    /**
     * The settings every layer shares: seed, data type, initialisation, the update rule at the base learning rate
     * and gradient clipping.
     */
    public static NeuralNetConfiguration.Builder base(OptimizerSettings optimizer, Precision precision,
                                                      ConvolutionKernels kernels, long seed) {
        NeuralNetConfiguration.Builder builder = new NeuralNetConfiguration.Builder()
                .seed(seed)
                .dataType(dataType(precision))
                .weightInit(WeightInit.RELU);
        optimize(builder, optimizer, precision, fastCpu(kernels, precision));
        optimizer.gradientClip().ifPresent(norm -> builder
                .gradientNormalization(GradientNormalization.ClipL2PerLayer)
                .gradientNormalizationThreshold(norm));
        return builder;
    }

    /**
     * The configured model as a chain of stages with a meta form of {@code metaBlocks} blocks per stage, for Deep
     * Incubation. Only the ResNet has stages so far; the LeNet and the MLP are too shallow to split.
     */
    public static StagedModel staged(ModelSettings settings, int metaBlocks, InputShape input, int classes) {
        if (settings.type() != io.efftrain.pipeline.config.ModelType.RESNET) {
            throw io.efftrain.pipeline.error.EfftrainException.badConfig("incubation: model.type = "
                    + settings.type().name().toLowerCase(java.util.Locale.ROOT) + " has no stages to incubate; set "
                    + "model.type = resnet (one module per entry of model.resnet.stage-channels).");
        }
        return new ResNets(settings, metaBlocks, input, classes);
    }

    /** How the network sees one example: flat pixels, reshaped to an image for convolutional models. */
    public static InputType inputType(ModelSettings settings, Precision precision, InputShape input) {
        return switch (settings.type()) {
            case LENET -> fastCpu(settings.kernels(), precision)
                    ? InputType.feedForward(input.size())
                    : InputType.convolutionalFlat(input.rows(), input.columns(), input.channels());
            case RESNET, LAYERS, DL4J_JSON, VIT, KERAS -> InputType.convolutionalFlat(input.rows(), input.columns(),
                    input.channels());
            case MLP -> InputType.feedForward(input.size());
        };
    }

    /** DL4J's data type for a precision. */
    public static DataType dataType(Precision precision) {
        return switch (precision) {
            case FLOAT32 -> DataType.FLOAT;
            case FLOAT16 -> DataType.HALF;
        };
    }

    /**
     * Sets the update rule at the base learning rate (schedules rescale it). L2 is DL4J's L2 for the classic
     * rules; LARS and LAMB take it as the weight decay inside their trust ratio instead. A float16 network keeps
     * its updater state in float16 too (DL4J has no float32 master copy), where Adam's epsilon of 1e-8 is 0 and
     * sqrt(v) underflows to 0 for small gradients: the step divides by zero. Adam gets epsilon 1e-4 there, the
     * usual half-precision choice. On the fast CPU path Adam runs as {@link HostAdam}, the same rule computed in
     * Java (seven times faster on the CPU backend).
     */
    static void optimize(NeuralNetConfiguration.Builder builder, OptimizerSettings optimizer, Precision precision,
                         boolean hostAdam) {
        double rate = optimizer.learningRate();
        double adamEpsilon = precision == Precision.FLOAT16 ? 1e-4 : Adam.DEFAULT_ADAM_EPSILON;
        switch (optimizer.type()) {
            case SGD -> builder.updater(new Sgd(rate)).l2(optimizer.l2());
            case NESTEROVS -> builder.updater(new Nesterovs(rate, optimizer.momentum())).l2(optimizer.l2());
            case ADAM -> builder.updater(hostAdam
                    ? new HostAdam(rate, Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY, Adam.DEFAULT_ADAM_BETA2_VAR_DECAY,
                    adamEpsilon)
                    : new Adam(rate, Adam.DEFAULT_ADAM_BETA1_MEAN_DECAY, Adam.DEFAULT_ADAM_BETA2_VAR_DECAY,
                    adamEpsilon)).l2(optimizer.l2());
            case LARS -> LarsOptimizer.configure(builder, rate, optimizer.momentum(), optimizer.trustCoefficient(),
                    optimizer.l2());
            case LAMB -> LambOptimizer.configure(builder, rate, optimizer.l2());
        }
    }
}
