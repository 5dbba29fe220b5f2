/**
 * The Vision Transformer's layers as DL4J layers: {@link io.efftrain.trainers.model.vit.PatchEmbedding},
 * {@link io.efftrain.trainers.model.vit.TransformerBlock}, {@link io.efftrain.trainers.model.vit.TokenLayerNorm}
 * and {@link io.efftrain.trainers.model.vit.TokenPool}. Between the embedding and the pooling the activations are
 * a sequence {@code [examples, tokens, width]} (DL4J's recurrent type in NWC order).
 *
 * <p>Why SameDiff layers: DL4J 1.0.0-M2.1 has no LayerNorm layer and no transformer block; its
 * {@code SelfAttentionLayer} is the attention alone (itself a SameDiff layer, on NCW sequences), so a block built
 * from DL4J's layers would be a ComputationGraph of about ten vertices per block (attention, two LayerNorms of our
 * own, dense layers through RNN-to-feed-forward reshapes, two element-wise adds), each a layer boundary where DL4J
 * copies activations and gradients. One {@code SameDiffLayer} per block keeps the block one graph whose backward
 * pass SameDiff derives (no hand-written gradients to get wrong), all of its matrix products as a few large
 * batched GEMMs (the queries, keys and values of all tokens in one {@code [examples * tokens, width] x [width,
 * 3 width]} product), and the network a plain MultiLayerNetwork that efftrain's trainer, averaging and
 * checkpoints already handle. The price is SameDiff's per-op interpretation overhead (tens of microseconds per op,
 * about 60 ops per block forward and backward). All four layers extend {@link
 * io.efftrain.trainers.model.vit.SequenceLayer}, which corrects DL4J 1.0.0-M2.1's SameDiff layers doubling their
 * gradients (found by the gradient check; {@code SelfAttentionLayer} has the same defect).
 */
package io.efftrain.trainers.model.vit;
