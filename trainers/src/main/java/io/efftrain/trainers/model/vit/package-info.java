/**
 * The Vision Transformer's layers as DL4J layers: {@link io.efftrain.trainers.model.vit.PatchEmbedding},
 * {@link io.efftrain.trainers.model.vit.TransformerBlock}, {@link io.efftrain.trainers.model.vit.TokenLayerNorm}
 * and {@link io.efftrain.trainers.model.vit.TokenPool}. Between the embedding and the pooling the activations are
 * a sequence {@code [examples, tokens, width]} (DL4J's recurrent type in NWC order).
 *
 * <p>What was chosen, and why. DL4J 1.0.0-M2.1 has no LayerNorm layer and no transformer block; its
 * {@code SelfAttentionLayer} is the attention alone (on NCW sequences), so a block of DL4J's layers would be a
 * ComputationGraph of about ten vertices per block, each a boundary where DL4J copies activations and gradients.
 * One layer per block instead keeps each linear map one large matrix product on [examples * tokens, width] rows
 * and the network a plain MultiLayerNetwork that efftrain's trainer, averaging and checkpoints already handle.
 * Each layer is defined twice ({@link io.efftrain.trainers.model.vit.SequenceLayer}): as a SameDiff graph, whose
 * backward pass SameDiff derives, and directly in ND4J ops with the backward pass written out
 * ({@link io.efftrain.trainers.model.vit.DirectLayer}). Networks run the direct one: SameDiff's per-op session
 * cost made the default ViT train five times slower per step (5.0 against 1.0 s per batch of 128 on one loaded
 * thread). The SameDiff one is the reference the direct one is tested against, forward and gradients, besides
 * a plain-Java forward computation and DL4J's gradient check. Writing that check found that DL4J 1.0.0-M2.1's
 * SameDiff layers double every gradient, {@code SelfAttentionLayer} included; the reference undoes it
 * ({@link io.efftrain.trainers.model.vit.SingleGradientSameDiffLayer}).
 */
package io.efftrain.trainers.model.vit;
