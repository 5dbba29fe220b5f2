package io.efftrain.pipeline.config;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * One layer of a network written in the model language ({@code model.type = layers}, {@code model.layers}): a
 * list of HOCON objects, each with a {@code type} and that type's keys, for example
 * <pre>
 * layers = [
 *   { type = conv, filters = 32, kernel = 3, padding = same, activation = relu }
 *   { type = batch-norm }
 *   { type = residual, layers = [ { type = conv, filters = 32, kernel = 3, padding = same, activation = relu } ] }
 *   { type = max-pool, size = 2 }
 *   { type = dense, units = 128, activation = relu }
 *   { type = dropout, rate = 0.2 }
 * ]
 * </pre>
 * or a Vision Transformer ({@code patch-embedding}, {@code transformer} blocks, {@code layer-norm},
 * {@code token-pool}; docs/vit.md), whose layers between the embedding and the pooling pass a sequence of tokens.
 * The softmax output layer over the data's classes is added after the last layer. Every error names the layer
 * ({@code model.layers[3]}) and the key.
 */
public sealed interface LayerSpec extends Serializable {
    /** Activation functions a layer may apply. */
    enum Activation { RELU, GELU, TANH, SIGMOID, IDENTITY }

    /**
     * A 2-D convolution.
     *
     * @param same pad so the output keeps the input's size (divided by the stride); otherwise no padding
     */
    record Conv(int filters, int kernel, int stride, boolean same, Activation activation) implements LayerSpec {
    }

    /** Max or average pooling over {@code size} x {@code size} windows, {@code stride} apart. */
    record Pool(boolean max, int size, int stride) implements LayerSpec {
    }

    /** Max or average over all positions of each channel. */
    record GlobalPool(boolean max) implements LayerSpec {
    }

    /** Batch normalisation over the channels (or the units of a flat input). */
    record BatchNorm() implements LayerSpec {
    }

    /** A fully connected layer. */
    record Dense(int units, Activation activation) implements LayerSpec {
    }

    /** Drops each input with probability {@code rate} while training. */
    record Dropout(double rate) implements LayerSpec {
    }

    /** An activation function on its own. */
    record Act(Activation function) implements LayerSpec {
    }

    /** Flattens an image to a vector (dense layers do this on their own; written for clarity). */
    record Flatten() implements LayerSpec {
    }

    /**
     * A residual block: {@code layers}, plus a shortcut from the block's input (the identity, or a 1x1 strided
     * convolution with BatchNorm where the shape changes), summed, then {@code after}.
     */
    record Residual(List<LayerSpec> layers, Activation after) implements LayerSpec {
    }

    /**
     * A Vision Transformer's patch embedding: the image cut into {@code patch} x {@code patch} patches, each
     * projected linearly to {@code width} values (a convolution with kernel and stride {@code patch}), plus a learned
     * position embedding per token, and a learned class token in front if {@code classToken}. Outputs a sequence.
     */
    record PatchEmbedding(int patch, int width, boolean classToken) implements LayerSpec {
    }

    /**
     * A pre-norm transformer encoder block on a sequence: LayerNorm, multi-head self-attention over {@code heads}
     * heads, residual add, LayerNorm, an MLP of {@code mlpUnits} GELU units back to the input's width, residual add.
     */
    record Transformer(int heads, int mlpUnits) implements LayerSpec {
    }

    /** Layer normalisation over each token's values (or over a vector's values). */
    record LayerNorm() implements LayerSpec {
    }

    /** A sequence to one vector: the class token's values ({@code classToken}) or the mean over all tokens. */
    record TokenPool(boolean classToken) implements LayerSpec {
    }

    /** The keys each type takes besides {@code type}. */
    Map<String, Set<String>> KEYS = Map.ofEntries(
            Map.entry("conv", Set.of("filters", "kernel", "stride", "padding", "activation")),
            Map.entry("max-pool", Set.of("size", "stride")),
            Map.entry("avg-pool", Set.of("size", "stride")),
            Map.entry("global-avg-pool", Set.of()),
            Map.entry("global-max-pool", Set.of()),
            Map.entry("batch-norm", Set.of()),
            Map.entry("dense", Set.of("units", "activation")),
            Map.entry("dropout", Set.of("rate")),
            Map.entry("activation", Set.of("function")),
            Map.entry("flatten", Set.of()),
            Map.entry("residual", Set.of("layers", "activation")),
            Map.entry("patch-embedding", Set.of("patch", "width", "class-token")),
            Map.entry("transformer", Set.of("heads", "mlp-units")),
            Map.entry("layer-norm", Set.of()),
            Map.entry("token-pool", Set.of("mode")));

    /** Reads {@code model.layers}-style lists; every problem is a config error naming the layer and key. */
    static List<LayerSpec> readAll(ConfigReader parent, String key) {
        return parent.objects(key).stream().map(LayerSpec::read).toList();
    }

    private static LayerSpec read(ConfigReader c) {
        if (!c.has("type")) {
            throw c.invalid("type", "one of " + String.join(", ", new TreeSet<>(KEYS.keySet())), "missing");
        }
        String type = c.string("type").trim().toLowerCase(Locale.ROOT);
        Set<String> allowed = KEYS.get(type);
        if (allowed == null) {
            throw c.invalid("type", "one of " + String.join(", ", new TreeSet<>(KEYS.keySet())), "'" + type + "'");
        }
        for (String k : c.keys()) {
            if (!k.equals("type") && !allowed.contains(k)) {
                throw c.invalid(k, "absent: a " + type + " layer takes " + (allowed.isEmpty() ? "no other keys"
                        : String.join(", ", new TreeSet<>(allowed))), "set");
            }
        }
        return switch (type) {
            case "conv" -> new Conv(c.positiveInt("filters"), c.positiveInt("kernel"),
                    c.has("stride") ? c.positiveInt("stride") : 1, padding(c),
                    activation(c, "activation", Activation.IDENTITY));
            case "max-pool", "avg-pool" -> {
                int size = c.positiveInt("size");
                yield new Pool(type.equals("max-pool"), size, c.has("stride") ? c.positiveInt("stride") : size);
            }
            case "global-avg-pool" -> new GlobalPool(false);
            case "global-max-pool" -> new GlobalPool(true);
            case "batch-norm" -> new BatchNorm();
            case "dense" -> new Dense(c.positiveInt("units"), activation(c, "activation", Activation.IDENTITY));
            case "dropout" -> {
                double rate = c.number("rate");
                if (!(rate >= 0 && rate < 1)) {
                    throw c.invalid("rate", "a probability from 0 up to (not including) 1", String.valueOf(rate));
                }
                yield new Dropout(rate);
            }
            case "activation" -> new Act(activation(c, "function", null));
            case "flatten" -> new Flatten();
            case "residual" -> {
                List<LayerSpec> inner = readAll(c, "layers");
                if (inner.isEmpty()) {
                    throw c.invalid("layers", "at least one layer", "[]");
                }
                yield new Residual(inner, activation(c, "activation", Activation.RELU));
            }
            case "patch-embedding" -> new PatchEmbedding(c.positiveInt("patch"), c.positiveInt("width"),
                    !c.has("class-token") || c.bool("class-token"));
            case "transformer" -> new Transformer(c.positiveInt("heads"), c.positiveInt("mlp-units"));
            case "layer-norm" -> new LayerNorm();
            case "token-pool" -> {
                String mode = c.has("mode") ? c.string("mode").trim().toLowerCase(Locale.ROOT) : "class";
                if (!mode.equals("class") && !mode.equals("average")) {
                    throw c.invalid("mode", "class or average", "'" + mode + "'");
                }
                yield new TokenPool(mode.equals("class"));
            }
            default -> throw new IllegalStateException(type);
        };
    }

    private static boolean padding(ConfigReader c) {
        if (!c.has("padding")) {
            return false;
        }
        String padding = c.string("padding").trim().toLowerCase(Locale.ROOT);
        if (!padding.equals("same") && !padding.equals("valid")) {
            throw c.invalid("padding", "same or valid", "'" + padding + "'");
        }
        return padding.equals("same");
    }

    private static Activation activation(ConfigReader c, String key, Activation fallback) {
        if (!c.has(key)) {
            if (fallback == null) {
                throw c.invalid(key, "one of relu, gelu, tanh, sigmoid, identity", "missing");
            }
            return fallback;
        }
        return c.choice(key, Activation.class);
    }
}
