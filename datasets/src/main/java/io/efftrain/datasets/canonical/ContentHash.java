package io.efftrain.datasets.canonical;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The content part of a canonical id: 64 bits of SHA-256 over label and features, as 16 hex digits. */
public final class ContentHash {
    private static final char[] HEX = "0123456789abcdef".toCharArray();
    /** One digest per thread: looking SHA-256 up per example cost as much as hashing it. */
    private static final ThreadLocal<MessageDigest> SHA = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    });

    private ContentHash() {
    }

    /** Hashes one example; identical label and features give identical hashes, whatever the source. */
    public static String of(int label, byte[] features) {
        MessageDigest sha = SHA.get();
        sha.reset();
        sha.update(new byte[] {(byte) (label >>> 24), (byte) (label >>> 16), (byte) (label >>> 8), (byte) label});
        byte[] digest = sha.digest(features);
        char[] out = new char[16];
        for (int i = 0; i < 8; i++) {
            out[2 * i] = HEX[(digest[i] >>> 4) & 0xF];
            out[2 * i + 1] = HEX[digest[i] & 0xF];
        }
        return new String(out);
    }
}
