package io.efftrain.datasets.images;

import io.efftrain.pipeline.error.EfftrainException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * Checks a PNG file's chunk structure and CRCs before it is decoded. Java's PNG decoder does not verify chunk
 * CRCs and stops reading once the image is filled, so bytes damaged inside the pixel data could decode as
 * different pixels; every PNG chunk carries a CRC-32 over its type and data, which this checks, up to IEND.
 */
final class PngIntegrity {
    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private PngIntegrity() {
    }

    /** Whether {@code bytes} start with the PNG signature. */
    static boolean isPng(byte[] bytes) {
        if (bytes.length < SIGNATURE.length) {
            return false;
        }
        for (int i = 0; i < SIGNATURE.length; i++) {
            if (bytes[i] != SIGNATURE[i]) {
                return false;
            }
        }
        return true;
    }

    /** Throws bad input naming {@code file} unless every chunk up to IEND is whole and passes its CRC. */
    static void verify(byte[] bytes, String file) {
        int at = SIGNATURE.length;
        while (at + 12 <= bytes.length) {
            long length = unsigned(bytes, at);
            String type = new String(bytes, at + 4, 4, StandardCharsets.ISO_8859_1);
            if (length > bytes.length - at - 12L) {
                throw EfftrainException.badInput(file + ": PNG chunk '" + printable(type) + "' at byte " + at
                        + " runs past the end of the file: the file is truncated or damaged. Re-create it.");
            }
            CRC32 crc = new CRC32();
            crc.update(bytes, at + 4, 4 + (int) length);
            if (crc.getValue() != unsigned(bytes, at + 8 + (int) length)) {
                throw EfftrainException.badInput(file + ": PNG chunk '" + printable(type) + "' at byte " + at
                        + " fails its CRC check: the file is damaged. Re-create it.");
            }
            if (type.equals("IEND")) {
                return;
            }
            at += 12 + (int) length;
        }
        throw EfftrainException.badInput(file + ": the PNG file ends before its IEND chunk: it is truncated. "
                + "Re-create it.");
    }

    private static long unsigned(byte[] b, int at) {
        return ((long) (b[at] & 0xFF) << 24) | ((b[at + 1] & 0xFF) << 16) | ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
    }

    private static String printable(String type) {
        return type.chars().allMatch(c -> c >= 'A' && c <= 'z') ? type : "?";
    }
}
