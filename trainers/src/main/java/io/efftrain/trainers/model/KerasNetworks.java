package io.efftrain.trainers.model;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.trainers.network.NetworkSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;

/**
 * A Keras model file ({@code model.type = keras}, HDF5 as Keras' {@code model.save} writes it) as a network efftrain
 * trains: DL4J's Keras import turns a Sequential model into a MultiLayerNetwork and a functional one into a
 * ComputationGraph; every layer then takes efftrain's update rule, learning rate, L2 and gradient clipping (the
 * file's own optimizer would ignore the config), and the softmax the model ends in becomes efftrain's output layer
 * (weighable cross-entropy) over the data's classes. The import reads the file's weights too, but efftrain trains
 * the architecture from its own seeded initialisation, as it does a DL4J JSON file. A Keras layer the import does
 * not map is a config error that names it.
 */
public final class KerasNetworks {
    private KerasNetworks() {
    }

    /**
     * The network in {@code file}, ending in a softmax over {@code classes}, with the update settings of
     * {@code base} (efftrain's optimizer, seed and precision).
     */
    public static NetworkSpec load(String file, int classes, NeuralNetConfiguration.Builder base) {
        if (!Files.isReadable(Path.of(file))) {
            throw EfftrainException.badConfig("model.keras = " + file + ": no such readable file. Give the path of "
                    + "a Keras model file (.h5, as Keras' model.save writes it).");
        }
        NeuralNetConfiguration settings = base.list().layer(new DenseLayer.Builder().nIn(1).nOut(1).build()).build()
                .getConf(0);
        BaseLayer template = (BaseLayer) settings.getLayer();
        try {
            MultiLayerConfiguration stack;
            try {
                stack = KerasModelImport.importKerasSequentialModelAndWeights(file, false)
                        .getLayerWiseConfigurations();
            } catch (org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException e) {
                if (!String.valueOf(e.getMessage()).contains("Sequential")) {
                    throw e;
                }
                return graph(file, classes, template,
                        KerasModelImport.importKerasModelAndWeights(file, false).getConfiguration());
            }
            List<NeuralNetConfiguration> confs = stack.getConfs();
            if (confs.size() > 1 && confs.get(confs.size() - 1).getLayer() instanceof LossLayer) {
                // A compiled model's loss, as DL4J imports it: efftrain's own output layer takes its place.
                confs.remove(confs.size() - 1);
            }
            for (NeuralNetConfiguration conf : confs) {
                conf.setSeed(settings.getSeed());
                train(conf.getLayer(), template);
            }
            NeuralNetConfiguration last = confs.get(confs.size() - 1);
            last.setLayer(output(file, last.getLayer(), classes, template));
            return NetworkSpec.of(stack);
        } catch (EfftrainException e) {
            throw e;
        } catch (Exception e) {
            throw EfftrainException.badConfig("model.keras = " + file + ": DL4J's Keras import cannot build it: "
                    + firstLine(e) + " Where a Keras layer does not map to DL4J, replace it or write the network in "
                    + "model.layers.");
        }
    }

    private static NetworkSpec graph(String file, int classes, BaseLayer template,
                                     ComputationGraphConfiguration graph) {
        for (GraphVertex vertex : graph.getVertices().values()) {
            if (vertex instanceof LayerVertex layer) {
                train(layer.getLayerConf().getLayer(), template);
            }
        }
        for (String name : graph.getNetworkOutputs()) {
            if (graph.getVertices().get(name) instanceof LayerVertex vertex) {
                vertex.getLayerConf().setLayer(output(file, vertex.getLayerConf().getLayer(), classes, template));
            }
        }
        return NetworkSpec.of(graph);
    }

    /** efftrain's update settings on a layer with parameters. */
    private static void train(Layer layer, BaseLayer template) {
        if (layer instanceof BaseLayer trained) {
            trained.setIUpdater(template.getIUpdater().clone());
            trained.setBiasUpdater(null);
            trained.setRegularization(template.getRegularization());
            trained.setRegularizationBias(template.getRegularizationBias());
            trained.setGradientNormalization(template.getGradientNormalization());
            trained.setGradientNormalizationThreshold(template.getGradientNormalizationThreshold());
        }
    }

    /** The model's last layer as efftrain's softmax output layer, checked against the class count. */
    private static Layer output(String file, Layer last, int classes, BaseLayer template) {
        String name = "the Keras layer '" + last.getLayerName() + "'";
        if (!(last instanceof DenseLayer) && !(last instanceof BaseOutputLayer)) {
            throw EfftrainException.badConfig("model.keras = " + file + ": " + name + " ends the network as a "
                    + last.getClass().getSimpleName() + "; a classifier ends in a Dense layer with a softmax over "
                    + "the classes.");
        }
        org.deeplearning4j.nn.conf.layers.FeedForwardLayer dense =
                (org.deeplearning4j.nn.conf.layers.FeedForwardLayer) last;
        if (!(((BaseLayer) last).getActivationFn() instanceof ActivationSoftmax)) {
            throw EfftrainException.badConfig("model.keras = " + file + ": " + name + " ends the network with "
                    + "activation " + ((BaseLayer) last).getActivationFn().toString().toLowerCase(Locale.ROOT)
                    + "; a classifier ends in a softmax over the classes.");
        }
        if (dense.getNOut() != classes) {
            throw EfftrainException.badConfig("model.keras = " + file + ": " + name + " has " + dense.getNOut()
                    + " units, but the data has " + classes + " classes.");
        }
        OutputLayer out = new OutputLayer.Builder(new WeightableCrossEntropy()).nIn(dense.getNIn())
                .nOut(dense.getNOut()).activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER)
                .name(last.getLayerName()).build();
        // Built outside a network builder, so the defaults a builder would fill in are set here.
        out.setBiasInit(0.0);
        out.setGainInit(1.0);
        train(out, template);
        return out;
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root && root.getMessage() == null) {
            root = root.getCause();
        }
        // DL4J's messages end in a plea to file an issue with DL4J; the user's fix is in efftrain's sentence after it.
        return String.valueOf(root.getMessage()).lines().findFirst().orElse(root.getClass().getSimpleName())
                .replaceAll(" ?Please file an issue.*$", "");
    }
}
