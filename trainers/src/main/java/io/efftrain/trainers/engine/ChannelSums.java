package io.efftrain.trainers.engine;

import java.util.Arrays;

/**
 * Per-channel totals of NHWC values (the bias gradient of a convolution or dense layer), added up a strip of a
 * few KB at a time: each strip is copied into a scratch array and added to the strip sums at the same index, so
 * C2 vectorises the addition (see {@link ConvPoolKernels}; a loop over one position's channels at a time ran at
 * about 10 ns per value). One instance per layer, reused from minibatch to minibatch; not thread-safe.
 */
final class ChannelSums {
    private final int channels;
    private final float[] strip;
    private final float[] stripSums;

    /**
     * Sums for {@code channels} channels, {@code positionsPerStrip} positions (of all channels) per strip. The strip
     * length fixes the order of the additions, so changing it changes the last bits of the bias gradients and,
     * through training, the benchmark's accuracies; the layers keep the lengths their figures were measured with.
     */
    ChannelSums(int channels, int positionsPerStrip) {
        this.channels = channels;
        this.strip = new float[channels * positionsPerStrip];
        this.stripSums = new float[strip.length];
    }

    /** Adds each channel's total over the first {@code length} of {@code values} to {@code sums[channel]}. */
    void addTo(float[] values, int length, float[] sums) {
        int stripLength = strip.length;
        Arrays.fill(stripSums, 0f);
        int whole = length - length % stripLength;
        for (int start = 0; start < whole; start += stripLength) {
            System.arraycopy(values, start, strip, 0, stripLength);
            for (int i = 0; i < stripLength; i++) {
                stripSums[i] += strip[i];
            }
        }
        for (int i = 0; i < stripLength; i++) {
            sums[i % channels] += stripSums[i];
        }
        for (int j = whole; j < length; j++) {
            sums[j % channels] += values[j];
        }
    }
}
