package io.efftrain.trainers.model;

import io.efftrain.pipeline.config.LayerSpec;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.trainers.model.vit.PatchEmbedding;
import io.efftrain.trainers.model.vit.TokenLayerNorm;
import io.efftrain.trainers.model.vit.TokenPool;
import io.efftrain.trainers.model.vit.TransformerBlock;
import io.efftrain.trainers.network.NetworkSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.nd4j.linalg.activations.Activation;

/**
 * Builds the user's own network: the model language ({@code model.type = layers}, {@link LayerSpec}) into DL4J
 * layers, and a DL4J configuration JSON file ({@code model.type = dl4j-json}) as it is. A list without residual
 * blocks becomes a MultiLayerNetwork built exactly as the named presets are (so the same layers give the same
 * network), one with residual blocks a ComputationGraph. A Vision Transformer's layers (patch embedding, transformer
 * blocks, LayerNorm, token pooling; {@code io.efftrain.trainers.model.vit}) pass sequences of tokens between them and
 * build into the same MultiLayerNetwork. Shapes are followed layer by layer, so a layer that
 * cannot take its input is a config error naming the layer, the shape it got and what it needs, before DL4J sees
 * it.
 */
public final class LayerNetworks {
    private LayerNetworks() {
    }

    /** What flows between layers: an image, a vector, or (in a Vision Transformer) a sequence of tokens. */
    private enum Kind { IMAGE, VECTOR, SEQUENCE }

    /**
     * The shape between layers: an image (height x width x channels), a vector of {@code channels} values, or a
     * sequence of {@code height} tokens of {@code channels} values whose first is a class token if
     * {@code classToken}.
     */
    private record Shape(int height, int width, int channels, Kind kind, boolean classToken) {
        static Shape image(int height, int width, int channels) {
            return new Shape(height, width, channels, Kind.IMAGE, false);
        }

        static Shape vector(int size) {
            return new Shape(0, 0, size, Kind.VECTOR, false);
        }

        static Shape sequence(int tokens, int width, boolean classToken) {
            return new Shape(tokens, 0, width, Kind.SEQUENCE, classToken);
        }

        boolean flat() {
            return kind == Kind.VECTOR;
        }

        boolean image() {
            return kind == Kind.IMAGE;
        }

        boolean sequence() {
            return kind == Kind.SEQUENCE;
        }

        int size() {
            return switch (kind) {
                case IMAGE -> height * width * channels;
                case VECTOR -> channels;
                case SEQUENCE -> height * channels;
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case IMAGE -> height + "x" + width + "x" + channels;
                case VECTOR -> channels + " values";
                case SEQUENCE -> "a sequence of " + height + " tokens of " + channels + " values";
            };
        }
    }

    /** One DL4J layer (null for a flatten, which only reshapes) and the shape it outputs. */
    private record Step(Layer layer, Shape out) {
    }

    /**
     * The network {@code layers} describes, ending in {@code output} (a softmax over the classes, or a regression
     * output: {@link OutputLayers}).
     */
    public static NetworkSpec build(NeuralNetConfiguration.Builder builder, List<LayerSpec> layers, InputShape input,
                                    OutputLayer output) {
        Shape start = Shape.image(input.rows(), input.columns(), input.channels());
        boolean residual = layers.stream().anyMatch(l -> l instanceof LayerSpec.Residual);
        return residual ? NetworkSpec.of(graph(builder, layers, start, output))
                : NetworkSpec.of(stack(builder, layers, start, output));
    }

    private static MultiLayerConfiguration stack(NeuralNetConfiguration.Builder builder, List<LayerSpec> layers,
                                                 Shape start, OutputLayer output) {
        NeuralNetConfiguration.ListBuilder list = builder.list();
        Shape shape = start;
        int index = 0;
        for (int i = 0; i < layers.size(); i++) {
            Step step = step(layers.get(i), shape, "model.layers[" + i + "]");
            if (step.layer() == null) {
                if (shape.image()) {
                    // A flatten: whatever layer comes next reads the image as a vector.
                    list.inputPreProcessor(index, new CnnToFeedForwardPreProcessor(shape.height(), shape.width(),
                            shape.channels()));
                }
            } else {
                list.layer(step.layer());
                index++;
            }
            shape = step.out();
        }
        endsInVector(layers, shape);
        list.setInputType(InputType.convolutionalFlat(start.height(), start.width(), start.channels()));
        list.layer(output);
        return list.build();
    }

    private static ComputationGraphConfiguration graph(NeuralNetConfiguration.Builder builder,
                                                       List<LayerSpec> layers, Shape start, OutputLayer output) {
        ComputationGraphConfiguration.GraphBuilder graph = builder.graphBuilder().addInputs("input");
        String last = "input";
        Shape shape = start;
        for (int i = 0; i < layers.size(); i++) {
            String name = "l" + i;
            String where = "model.layers[" + i + "]";
            if (layers.get(i) instanceof LayerSpec.Residual block) {
                if (!shape.image()) {
                    throw bad(where, "residual", "an image input", shape);
                }
                String inner = last;
                Shape innerShape = shape;
                for (int j = 0; j < block.layers().size(); j++) {
                    String innerWhere = where + ".layers[" + j + "]";
                    if (block.layers().get(j) instanceof LayerSpec.Residual) {
                        throw EfftrainException.badConfig(innerWhere + ": a residual block inside a residual block "
                                + "is not supported; write the blocks one after the other.");
                    }
                    Step step = step(block.layers().get(j), innerShape, innerWhere);
                    if (!step.out().image()) {
                        throw EfftrainException.badConfig(innerWhere + ": a residual block's layers must keep an "
                                + "image (the shortcut adds it back), but this layer outputs " + step.out() + ".");
                    }
                    inner = add(graph, name + "_" + j, step.layer(), inner);
                    innerShape = step.out();
                }
                String shortcut = last;
                if (!innerShape.equals(shape)) {
                    int stride = shape.height() / innerShape.height();
                    if (stride < 1 || shape.height() != innerShape.height() * stride
                            || shape.width() != innerShape.width() * stride) {
                        throw EfftrainException.badConfig(where + ": the block's layers turn " + shape + " into "
                                + innerShape + "; a shortcut can only follow a whole-number downsampling (stride). "
                                + "Use padding = same and strides that divide the input.");
                    }
                    shortcut = add(graph, name + "_proj", new ConvolutionLayer.Builder(1, 1).stride(stride, stride)
                            .nOut(innerShape.channels()).hasBias(false).activation(Activation.IDENTITY).build(), last);
                    shortcut = add(graph, name + "_projbn", new BatchNormalization.Builder().build(), shortcut);
                }
                graph.addVertex(name + "_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), inner, shortcut);
                last = add(graph, name + "_act", new ActivationLayer.Builder().activation(dl4j(block.after()))
                        .build(), name + "_add");
                shape = innerShape;
                continue;
            }
            Step step = step(layers.get(i), shape, where);
            if (step.layer() == null && shape.image()) {
                graph.addVertex(name + "_flat", new PreprocessorVertex(new CnnToFeedForwardPreProcessor(
                        shape.height(), shape.width(), shape.channels())), last);
                last = name + "_flat";
            }
            if (step.layer() != null) {
                last = add(graph, name, step.layer(), last);
            }
            shape = step.out();
        }
        endsInVector(layers, shape);
        graph.addLayer("output", output, last);
        graph.setOutputs("output");
        graph.setInputTypes(InputType.convolutionalFlat(start.height(), start.width(), start.channels()));
        return graph.build();
    }

    /** The softmax takes a vector: a sequence must be pooled first. */
    private static void endsInVector(List<LayerSpec> layers, Shape shape) {
        if (shape.sequence()) {
            throw EfftrainException.badConfig("model.layers[" + (layers.size() - 1) + "]: the network ends in "
                    + shape + ", but the softmax output needs a vector; end it with { type = token-pool }.");
        }
    }

    private static String add(ComputationGraphConfiguration.GraphBuilder graph, String name, Layer layer, String in) {
        graph.addLayer(name, layer, in);
        return name;
    }

    /** The DL4J layer for {@code spec} on input {@code in}, or a config error naming {@code where}. */
    private static Step step(LayerSpec spec, Shape in, String where) {
        if (spec instanceof LayerSpec.Conv conv) {
            if (!in.image()) {
                throw bad(where, "conv", "an image input", in);
            }
            int height = outSize(in.height(), conv.kernel(), conv.stride(), conv.same(), where, "kernel", in);
            int width = outSize(in.width(), conv.kernel(), conv.stride(), conv.same(), where, "kernel", in);
            ConvolutionLayer.Builder b = new ConvolutionLayer.Builder(conv.kernel(), conv.kernel())
                    .stride(conv.stride(), conv.stride()).nOut(conv.filters()).activation(dl4j(conv.activation()));
            if (conv.same()) {
                b.convolutionMode(ConvolutionMode.Same);
            }
            return new Step(b.build(), Shape.image(height, width, conv.filters()));
        }
        if (spec instanceof LayerSpec.Pool pool) {
            if (!in.image()) {
                throw bad(where, pool.max() ? "max-pool" : "avg-pool", "an image input", in);
            }
            int height = outSize(in.height(), pool.size(), pool.stride(), false, where, "size", in);
            int width = outSize(in.width(), pool.size(), pool.stride(), false, where, "size", in);
            return new Step(new SubsamplingLayer.Builder(pool.max() ? SubsamplingLayer.PoolingType.MAX
                    : SubsamplingLayer.PoolingType.AVG).kernelSize(pool.size(), pool.size())
                    .stride(pool.stride(), pool.stride()).build(), Shape.image(height, width, in.channels()));
        }
        if (spec instanceof LayerSpec.GlobalPool pool) {
            if (!in.image()) {
                throw bad(where, pool.max() ? "global-max-pool" : "global-avg-pool", "an image input", in);
            }
            return new Step(new GlobalPoolingLayer.Builder(pool.max() ? PoolingType.MAX : PoolingType.AVG).build(),
                    Shape.vector(in.channels()));
        }
        if (spec instanceof LayerSpec.BatchNorm) {
            if (in.sequence()) {
                throw bad(where, "batch-norm", "an image or a vector", in);
            }
            return new Step(new BatchNormalization.Builder().build(), in);
        }
        if (spec instanceof LayerSpec.Dense dense) {
            if (in.sequence()) {
                throw bad(where, "dense", "an image or a vector", in);
            }
            return new Step(new DenseLayer.Builder().nOut(dense.units()).activation(dl4j(dense.activation())).build(),
                    Shape.vector(dense.units()));
        }
        if (spec instanceof LayerSpec.Dropout dropout) {
            // DL4J's dropout argument is the probability of keeping an input.
            return new Step(new DropoutLayer.Builder(1 - dropout.rate()).build(), in);
        }
        if (spec instanceof LayerSpec.Act act) {
            return new Step(new ActivationLayer.Builder().activation(dl4j(act.function())).build(), in);
        }
        if (spec instanceof LayerSpec.Flatten) {
            if (in.sequence()) {
                throw bad(where, "flatten", "an image or a vector", in);
            }
            return new Step(null, Shape.vector(in.size()));
        }
        if (spec instanceof LayerSpec.PatchEmbedding embedding) {
            if (!in.image()) {
                throw bad(where, "patch-embedding", "an image input", in);
            }
            int patch = embedding.patch();
            if (in.height() % patch != 0 || in.width() % patch != 0) {
                throw EfftrainException.badConfig(String.format(Locale.ROOT, "%s.patch: a patch of %d does not "
                        + "divide its input of %s; use a patch that divides %d and %d (the image is cut into whole "
                        + "patches).", where, patch, in, in.height(), in.width()));
            }
            PatchEmbedding layer = new PatchEmbedding(in.channels(), in.height(), in.width(), patch,
                    embedding.width(), embedding.classToken());
            return new Step(layer, Shape.sequence(layer.tokens(), embedding.width(), embedding.classToken()));
        }
        if (spec instanceof LayerSpec.Transformer block) {
            if (!in.sequence()) {
                throw bad(where, "transformer", "a sequence of tokens", in);
            }
            if (in.channels() % block.heads() != 0) {
                throw EfftrainException.badConfig(String.format(Locale.ROOT, "%s.heads: %d heads do not divide "
                        + "the tokens' width of %d (each head takes width / heads values); use a divisor of %d.",
                        where, block.heads(), in.channels(), in.channels()));
            }
            return new Step(new TransformerBlock(in.height(), in.channels(), block.heads(), block.mlpUnits()), in);
        }
        if (spec instanceof LayerSpec.LayerNorm) {
            if (in.image()) {
                throw bad(where, "layer-norm", "a sequence or a vector", in);
            }
            return new Step(new TokenLayerNorm(in.sequence() ? in.height() : 0, in.channels()), in);
        }
        if (spec instanceof LayerSpec.TokenPool pool) {
            if (!in.sequence()) {
                throw bad(where, "token-pool", "a sequence of tokens", in);
            }
            if (pool.classToken() && !in.classToken()) {
                throw EfftrainException.badConfig(where + ".mode: class pools the class token, but the "
                        + "patch-embedding before it has class-token = false; set mode = average or class-token = "
                        + "true.");
            }
            return new Step(new TokenPool(in.height(), in.channels(), pool.classToken()),
                    Shape.vector(in.channels()));
        }
        throw new IllegalStateException(where + ": residual blocks are built by the graph builder");
    }

    private static int outSize(int size, int window, int stride, boolean same, String where, String key, Shape in) {
        if (same) {
            return (size + stride - 1) / stride;
        }
        if (window > size) {
            throw EfftrainException.badConfig(String.format(Locale.ROOT, "%s: its %s of %d is larger than its "
                    + "input of %s; use a smaller %s, padding = same, or fewer poolings before it.", where, key,
                    window, in, key));
        }
        return (size - window) / stride + 1;
    }

    private static EfftrainException bad(String where, String type, String needs, Shape got) {
        String why = switch (got.kind()) {
            case VECTOR -> " (after a dense, flatten or global pooling layer). Put it before those layers.";
            case SEQUENCE -> " (after a patch-embedding). Put it before the patch-embedding or after a token-pool.";
            case IMAGE -> ". Put a patch-embedding before it.";
        };
        return EfftrainException.badConfig(where + ": a " + type + " layer needs " + needs + ", but its input is "
                + got + why);
    }

    private static Activation dl4j(LayerSpec.Activation activation) {
        return switch (activation) {
            case RELU -> Activation.RELU;
            case GELU -> Activation.GELU;
            case TANH -> Activation.TANH;
            case SIGMOID -> Activation.SIGMOID;
            case IDENTITY -> Activation.IDENTITY;
        };
    }

    /**
     * The network of a DL4J configuration JSON file (a MultiLayerConfiguration or ComputationGraphConfiguration as
     * {@code toJson()} writes it), checked to end in an output layer over {@code classes}.
     */
    public static NetworkSpec fromJson(String file, int classes) {
        String json;
        try {
            json = Files.readString(Path.of(file));
        } catch (IOException e) {
            throw EfftrainException.badConfig("model.dl4j-json = " + file + ": cannot be read (" + e
                    + "). Give the path of a DL4J configuration JSON file.");
        }
        List<String> problems = new ArrayList<>();
        try {
            MultiLayerConfiguration stack = MultiLayerConfiguration.fromJson(json);
            Layer last = stack.getConf(stack.getConfs().size() - 1).getLayer();
            checkOutput(file, "its last layer", last, classes);
            return NetworkSpec.of(stack);
        } catch (EfftrainException e) {
            throw e;
        } catch (RuntimeException e) {
            problems.add("not a MultiLayerConfiguration (" + firstLine(e) + ")");
        }
        try {
            ComputationGraphConfiguration graph = ComputationGraphConfiguration.fromJson(json);
            for (String output : graph.getNetworkOutputs()) {
                if (graph.getVertices().get(output) instanceof LayerVertex vertex) {
                    checkOutput(file, "output '" + output + "'", vertex.getLayerConf().getLayer(), classes);
                }
            }
            return NetworkSpec.of(graph);
        } catch (EfftrainException e) {
            throw e;
        } catch (RuntimeException e) {
            problems.add("not a ComputationGraphConfiguration (" + firstLine(e) + ")");
        }
        throw EfftrainException.badConfig("model.dl4j-json = " + file + ": is " + String.join(", and ", problems)
                + ". Write it with DL4J's MultiLayerConfiguration.toJson() or ComputationGraphConfiguration.toJson().");
    }

    private static void checkOutput(String file, String which, Layer layer, int classes) {
        if (!(layer instanceof BaseOutputLayer output)) {
            throw EfftrainException.badConfig("model.dl4j-json = " + file + ": " + which + " is a "
                    + layer.getClass().getSimpleName() + ", not an output layer; end the network with an "
                    + "OutputLayer of " + classes + " units (softmax).");
        }
        if (output.getNOut() != classes) {
            throw EfftrainException.badConfig("model.dl4j-json = " + file + ": " + which + " has "
                    + output.getNOut() + " units, but the data has " + classes + " classes.");
        }
    }

    private static String firstLine(Throwable e) {
        return String.valueOf(e.getMessage()).lines().findFirst().orElse(e.getClass().getSimpleName());
    }
}
