package io.efftrain.pipeline.config;

import java.io.Serializable;
import java.util.List;
import java.util.Optional;

/**
 * The network to train.
 *
 * @param type the architecture
 * @param mlpHidden widths of the hidden layers of {@link ModelType#MLP}
 * @param lenetConv1Channels output channels of the first convolution of {@link ModelType#LENET}
 * @param lenetConv2Channels output channels of the second convolution
 * @param lenetDenseUnits width of the dense layer before the softmax
 * @param resnetStemChannels output channels of {@link ModelType#RESNET}'s stem convolution
 * @param resnetStageChannels width of each ResNet stage; every stage after the first halves the resolution
 * @param resnetBlocksPerStage residual blocks in each stage
 * @param kernels what computes the layers and the update: efftrain's fast CPU path or DL4J's own
 * @param layers the network of {@link ModelType#LAYERS}, in the model language
 * @param dl4jJson the DL4J configuration JSON file of {@link ModelType#DL4J_JSON}
 * @param vit the shape of {@link ModelType#VIT}
 * @param task what the network predicts: classes (a softmax) or one number (regression)
 * @param regression the loss of {@link ModelTask#REGRESSION}
 * @param keras the Keras model file (HDF5) of {@link ModelType#KERAS}
 */
public record ModelSettings(ModelType type, List<Integer> mlpHidden, int lenetConv1Channels,
                            int lenetConv2Channels, int lenetDenseUnits, int resnetStemChannels,
                            List<Integer> resnetStageChannels, int resnetBlocksPerStage,
                            ConvolutionKernels kernels, List<LayerSpec> layers, Optional<String> dl4jJson,
                            VitSettings vit, ModelTask task, RegressionSettings regression,
                            Optional<String> keras)
        implements Serializable {
    static ModelSettings read(ConfigReader c) {
        ConfigReader lenet = c.at("lenet");
        ConfigReader resnet = c.at("resnet");
        List<Integer> stages = List.copyOf(resnet.positiveInts("stage-channels"));
        if (stages.isEmpty()) {
            throw resnet.invalid("stage-channels", "at least one stage width", "[]");
        }
        ModelType type = c.choice("type", ModelType.class);
        List<LayerSpec> layers = LayerSpec.readAll(c, "layers");
        if (type == ModelType.LAYERS && layers.isEmpty()) {
            throw c.invalid("layers", "a list of at least one layer for model.type = layers, for example "
                    + "[{ type = dense, units = 128, activation = relu }]", "[]");
        }
        Optional<String> json = c.optional("dl4j-json", c::string);
        if (type == ModelType.DL4J_JSON && json.isEmpty()) {
            throw c.invalid("dl4j-json", "the path of a DL4J configuration JSON file for model.type = dl4j-json",
                    "null");
        }
        Optional<String> keras = c.optional("keras", c::string);
        if (type == ModelType.KERAS && keras.isEmpty()) {
            throw c.invalid("keras", "the path of a Keras model file (HDF5, .h5) for model.type = keras", "null");
        }
        ModelTask task = c.choice("task", ModelTask.class);
        if (task == ModelTask.REGRESSION && (type == ModelType.DL4J_JSON || type == ModelType.KERAS)) {
            throw c.invalid("task", "classification for model.type = " + ConfigReader.configName(type) + " (a "
                    + "ready-made network brings its own output layer; regression needs one efftrain builds: mlp, "
                    + "lenet, resnet, vit or layers)", "regression");
        }
        return new ModelSettings(type, List.copyOf(c.positiveInts("mlp.hidden")),
                lenet.positiveInt("conv1-channels"), lenet.positiveInt("conv2-channels"),
                lenet.positiveInt("dense-units"), resnet.positiveInt("stem-channels"), stages,
                resnet.positiveInt("blocks-per-stage"), c.choice("kernels", ConvolutionKernels.class), layers, json,
                VitSettings.read(c.at("vit")), task, RegressionSettings.read(c.at("regression")), keras);
    }

    /**
     * Fails with a config error naming model.task unless the network is a classifier: a job that trains on a
     * canonical table has class labels only, and regression targets come through the Spark ML regressor.
     *
     * @param job the command, for the message ({@code run}, {@code score}, ...)
     */
    public void requireClassification(String job) {
        if (task == ModelTask.REGRESSION) {
            throw io.efftrain.pipeline.error.EfftrainException.badConfig("model.task = regression: " + job + " trains "
                    + "on a canonical table, whose labels are class indices; train a regression network on your own "
                    + "DataFrame with io.efftrain.jobs.ml.EfftrainRegressor (docs/estimator.md), or set model.task = "
                    + "classification.");
        }
    }
}
