package io.efftrain.pipeline.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class FeatureEncodingTest {
    @Test
    void float16RoundTripsWithinHalfPrecision() {
        double[] values = {0, -0.0, 1, -2.5, 0.1, 65504, -65504, 6.1e-5, 3e-7, 1234.5678};
        byte[] bytes = FeatureEncoding.FLOAT16.encode(values);
        assertEquals(2 * values.length, bytes.length);
        for (int i = 0; i < values.length; i++) {
            double decoded = FeatureEncoding.FLOAT16.decode(bytes, 0, i);
            // 11 significant bits: relative error at most 2^-11; subnormals have an absolute step of 2^-24.
            assertEquals(values[i], decoded, Math.max(Math.abs(values[i]) * 0x1p-11, 0x1p-24), "value " + values[i]);
        }
    }

    @Test
    void exactValuesStayExact() {
        double[] values = {0, 1, 255, 0.5, -1024, 2048};
        byte[] f16 = FeatureEncoding.FLOAT16.encode(values);
        byte[] f32 = FeatureEncoding.FLOAT32.encode(values);
        for (int i = 0; i < values.length; i++) {
            assertEquals(values[i], FeatureEncoding.FLOAT16.decode(f16, 0, i));
            assertEquals(values[i], FeatureEncoding.FLOAT32.decode(f32, 0, i));
        }
        byte[] u8 = FeatureEncoding.UINT8.encode(new double[] {0, 128, 255});
        assertEquals(255, FeatureEncoding.UINT8.decode(u8, 0, 2));
    }

    @Test
    void eachEncodingRejectsWhatItCannotHold() {
        assertNull(FeatureEncoding.UINT8.rejects(255));
        assertNotNull(FeatureEncoding.UINT8.rejects(256));
        assertNotNull(FeatureEncoding.UINT8.rejects(1.5));
        assertNotNull(FeatureEncoding.UINT8.rejects(-1));
        assertNull(FeatureEncoding.FLOAT16.rejects(-65504));
        assertNotNull(FeatureEncoding.FLOAT16.rejects(70000));
        assertNull(FeatureEncoding.FLOAT32.rejects(1e30));
        for (FeatureEncoding e : FeatureEncoding.values()) {
            assertNotNull(e.rejects(Double.NaN));
            assertNotNull(e.rejects(Double.NEGATIVE_INFINITY));
        }
    }

    @Test
    void decoderShiftsThenScalesPerFeature() {
        FeatureDecoder decoder = new FeatureDecoder(FeatureEncoding.FLOAT32, new float[] {1, 10}, new float[] {2, 0.5f});
        float[] out = new float[3];
        decoder.decode(FeatureEncoding.FLOAT32.encode(new double[] {4, 30}), 0, out, 1);
        assertEquals(6f, out[1]);
        assertEquals(10f, out[2]);
    }
}
