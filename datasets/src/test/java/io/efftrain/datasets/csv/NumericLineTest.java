package io.efftrain.datasets.csv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.datasets.source.LabelRange;
import io.efftrain.pipeline.data.FeatureEncoding;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The byte-level fast path reads plain whole numbers exactly as the general parser does, and nothing else. */
class NumericLineTest {
    /** Columns: x, label, skipped, y. */
    private static NumericLine line(FeatureEncoding encoding) {
        return new NumericLine(',', 4, 1, new int[] {3, 0}, "-999", encoding, new LabelRange(10));
    }

    private static boolean parse(NumericLine numeric, String text, double[] values) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return numeric.parse(bytes, bytes.length, values);
    }

    @Test
    void readsWholeNumbersByFeaturePositionAndIgnoresOtherColumns() {
        NumericLine numeric = line(FeatureEncoding.FLOAT32);
        double[] values = new double[2];
        assertTrue(parse(numeric, " 12 ,7,any text at all, -40", values));
        assertEquals(7, numeric.label());
        assertArrayEquals(new double[] {-40, 12}, values, "features in the order feature-columns names them");
        assertTrue(parse(numeric, "+3,0,,0007", values));
        assertArrayEquals(new double[] {7, 3}, values);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1.5,1,x,2", "1e3,1,x,2", "\"1\",1,x,2", "-999,1,x,2", "-0,1,x,2", "1,10,x,2", "1,-1,x,2", ",1,x,2",
        "1,1,x", "1,1,x,2,3", "1234567890123456,1,x,2", "1,1,x,2 3", "1,1,x,\u00b2"})
    void leavesEveryOtherLineToTheGeneralParser(String text) {
        assertFalse(parse(line(FeatureEncoding.FLOAT32), text, new double[2]), text);
    }

    @Test
    void leavesValuesTheEncodingRejectsToTheGeneralParser() {
        assertTrue(parse(line(FeatureEncoding.UINT8), "255,1,x,0", new double[2]));
        assertFalse(parse(line(FeatureEncoding.UINT8), "256,1,x,0", new double[2]), "the general parser words it");
        assertFalse(parse(line(FeatureEncoding.UINT8), "-1,1,x,0", new double[2]));
    }
}
