package io.efftrain.pipeline.config;

/** The network architectures efftrain can build from config. */
public enum ModelType {
    /** conv5x5, max-pool, conv5x5, max-pool, dense, softmax (LeCun et al. 1998, widths from config). */
    LENET,
    /** Fully connected layers of the configured widths. */
    MLP,
    /**
     * A small ResNet (He et al., 2016): a 3x3 stem convolution, stages of residual blocks (two 3x3 convolutions
     * with BatchNorm, identity shortcuts, a strided 1x1 projection where a stage changes width and resolution),
     * global average pooling, softmax. Built as a DL4J ComputationGraph.
     */
    RESNET,
    /** The user's own network, written layer by layer in {@code model.layers} ({@link LayerSpec}). */
    LAYERS,
    /**
     * A Vision Transformer (Dosovitskiy et al., 2021) of the shape in {@code model.vit}: patch embedding with
     * learned position embeddings, pre-norm transformer blocks, LayerNorm, class token or mean pooling, softmax.
     */
    VIT,
    /** The user's own network as a DL4J configuration JSON file ({@code model.dl4j-json}). */
    DL4J_JSON,
    /**
     * The user's own network as a Keras model file ({@code model.keras}, HDF5), imported through DL4J's Keras
     * import where its layers map to DL4J's.
     */
    KERAS
}
