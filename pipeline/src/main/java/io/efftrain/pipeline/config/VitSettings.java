package io.efftrain.pipeline.config;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shape of {@link ModelType#VIT}, a Vision Transformer (Dosovitskiy et al., 2021) written as model-language
 * layers ({@link #layers()}), so the preset and {@code model.type = layers} build the very same network.
 *
 * @param patch side of the square patches the image is cut into; it must divide the image's sides
 * @param width values per token (the embedding width)
 * @param depth transformer blocks
 * @param heads attention heads per block; they must divide {@code width}
 * @param mlpUnits GELU units of each block's MLP
 * @param classToken pool by a learned class token ({@code pool = class}) rather than the tokens' mean
 */
public record VitSettings(int patch, int width, int depth, int heads, int mlpUnits, boolean classToken)
        implements Serializable {
    static VitSettings read(ConfigReader c) {
        int width = c.positiveInt("width");
        int heads = c.positiveInt("heads");
        if (width % heads != 0) {
            throw c.invalid("heads", "a divisor of model.vit.width = " + width + " (each head takes width / heads "
                    + "values)", String.valueOf(heads));
        }
        String pool = c.string("pool").trim().toLowerCase(Locale.ROOT);
        if (!pool.equals("class") && !pool.equals("average")) {
            throw c.invalid("pool", "class or average", "'" + pool + "'");
        }
        return new VitSettings(c.positiveInt("patch"), width, c.positiveInt("depth"), heads,
                c.positiveInt("mlp-units"), pool.equals("class"));
    }

    /** The network in the model language: patch embedding, the blocks, a final LayerNorm, the pooling. */
    public List<LayerSpec> layers() {
        List<LayerSpec> layers = new ArrayList<>();
        layers.add(new LayerSpec.PatchEmbedding(patch, width, classToken));
        for (int i = 0; i < depth; i++) {
            layers.add(new LayerSpec.Transformer(heads, mlpUnits));
        }
        layers.add(new LayerSpec.LayerNorm());
        layers.add(new LayerSpec.TokenPool(classToken));
        return List.copyOf(layers);
    }
}
