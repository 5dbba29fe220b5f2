package io.efftrain.pipeline.data;

/**
 * IEEE 754 half-precision conversion. Java 17 has no {@code Float.floatToFloat16} (it arrived in Java 20), and
 * pulling a library in for two functions would cost more than it saves.
 */
final class HalfFloat {
    private HalfFloat() {
    }

    /** Rounds to nearest even; values beyond the half range become infinity, tiny ones subnormal or zero. */
    static short fromFloat(float value) {
        int bits = Float.floatToIntBits(value);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = ((bits >>> 23) & 0xFF) - 127 + 15;
        int mantissa = bits & 0x7FFFFF;
        if (((bits >>> 23) & 0xFF) == 0xFF) {
            return (short) (sign | 0x7C00 | (mantissa != 0 ? 0x200 : 0));
        }
        if (exponent >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (exponent <= 0) {
            if (exponent < -10) {
                return (short) sign;
            }
            mantissa |= 0x800000;
            int shift = 14 - exponent;
            int half = mantissa >> shift;
            int rest = mantissa & ((1 << shift) - 1);
            int halfway = 1 << (shift - 1);
            if (rest > halfway || (rest == halfway && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (exponent << 10) | (mantissa >> 13);
        int rest = mantissa & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) {
            half++; // may carry into the exponent, which is the correct rounding
        }
        return (short) (sign | half);
    }

    static float toFloat(short half) {
        int h = half & 0xFFFF;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1F;
        int mantissa = h & 0x3FF;
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa / 1024f / 16384f; // 2^-14 * m / 2^10
            return sign == 0 ? value : -value;
        }
        if (exponent == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mantissa << 13));
        }
        return Float.intBitsToFloat(sign | ((exponent - 15 + 127) << 23) | (mantissa << 13));
    }
}
