package io.efftrain.pipeline.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * How the canonical layout stores feature values in its binary {@code features} column. Pixels need one byte
 * each (a quarter of float32); numeric data that is not small integers needs float16 or float32. Values are
 * little-endian, example after example, feature after feature.
 */
public enum FeatureEncoding {
    /** Integers 0..255, one byte each: pixels. */
    UINT8(1),
    /** IEEE 754 half precision: 3 significant digits, range +-65504; half the bytes of float32. */
    FLOAT16(2),
    /** IEEE 754 single precision. */
    FLOAT32(4);

    private final int bytesPerValue;

    FeatureEncoding(int bytesPerValue) {
        this.bytesPerValue = bytesPerValue;
    }

    public int bytesPerValue() {
        return bytesPerValue;
    }

    /**
     * Why {@code value} cannot be stored in this encoding, or null when it can (after rounding to float16 or
     * float32 precision, which is the point of choosing them).
     */
    public String rejects(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return "a finite number";
        }
        return switch (this) {
            case UINT8 -> value == Math.rint(value) && value >= 0 && value <= 255 ? null
                    : "a whole number from 0 to 255 (data.feature-encoding = uint8; choose float16 or float32 for "
                    + "other numbers)";
            case FLOAT16 -> Math.abs(value) <= 65504 ? null
                    : "a number within +-65504 (data.feature-encoding = float16; choose float32 for larger ones)";
            case FLOAT32 -> Math.abs(value) <= Float.MAX_VALUE ? null : "a number within the float32 range";
        };
    }

    /** Encodes validated values (see {@link #rejects}). */
    public byte[] encode(double[] values) {
        ByteBuffer out = ByteBuffer.allocate(values.length * bytesPerValue).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            switch (this) {
                case UINT8 -> out.put((byte) (int) v);
                case FLOAT16 -> out.putShort(HalfFloat.fromFloat((float) v));
                case FLOAT32 -> out.putFloat((float) v);
            }
        }
        return out.array();
    }

    /** Value {@code index} of an encoded example that starts at byte {@code offset} of {@code bytes}. */
    public float decode(byte[] bytes, int offset, int index) {
        return switch (this) {
            case UINT8 -> bytes[offset + index] & 0xFF;
            case FLOAT16 -> HalfFloat.toFloat((short) ((bytes[offset + 2 * index] & 0xFF)
                    | (bytes[offset + 2 * index + 1] << 8)));
            case FLOAT32 -> Float.intBitsToFloat((bytes[offset + 4 * index] & 0xFF)
                    | (bytes[offset + 4 * index + 1] & 0xFF) << 8
                    | (bytes[offset + 4 * index + 2] & 0xFF) << 16
                    | (bytes[offset + 4 * index + 3] & 0xFF) << 24);
        };
    }
}
