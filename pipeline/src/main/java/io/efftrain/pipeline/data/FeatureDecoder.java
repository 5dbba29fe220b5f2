package io.efftrain.pipeline.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Turns stored feature values into the floats a network sees: {@code (value - shift[j]) * scale[j]}, applied
 * while a minibatch is filled, so the data can stay in its compact encoding in memory and on disk. The shifts
 * and scales come from statistics of the training split (see the table manifest), never from the data being
 * decoded, so validation and test examples are treated exactly like training ones.
 */
public final class FeatureDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FeatureEncoding encoding;
    private final float[] shift;
    private final float[] scale;

    /**
     * @param shift per feature, subtracted first
     * @param scale per feature, multiplied after the shift
     */
    public FeatureDecoder(FeatureEncoding encoding, float[] shift, float[] scale) {
        this.encoding = Objects.requireNonNull(encoding);
        this.shift = shift.clone();
        this.scale = scale.clone();
        if (shift.length != scale.length) {
            throw new IllegalArgumentException(shift.length + " shifts but " + scale.length + " scales");
        }
    }

    /** uint8 pixels scaled to [0, 1]: the decoder for image data without other statistics. */
    public static FeatureDecoder pixelsToUnitRange(int featureSize) {
        float[] scale = new float[featureSize];
        Arrays.fill(scale, 1f / 255f);
        return new FeatureDecoder(FeatureEncoding.UINT8, new float[featureSize], scale);
    }

    public FeatureEncoding encoding() {
        return encoding;
    }

    public int featureSize() {
        return shift.length;
    }

    /** Bytes one example takes in the encoding. */
    public int bytesPerExample() {
        return shift.length * encoding.bytesPerValue();
    }

    /** Decodes the example that starts at byte {@code offset} of {@code bytes} into {@code out[at..]}. */
    public void decode(byte[] bytes, int offset, float[] out, int at) {
        int n = shift.length;
        if (encoding == FeatureEncoding.UINT8) {
            // The hot path of every minibatch: no dispatch per value.
            for (int j = 0; j < n; j++) {
                out[at + j] = ((bytes[offset + j] & 0xFF) - shift[j]) * scale[j];
            }
            return;
        }
        for (int j = 0; j < n; j++) {
            out[at + j] = (encoding.decode(bytes, offset, j) - shift[j]) * scale[j];
        }
    }
}
