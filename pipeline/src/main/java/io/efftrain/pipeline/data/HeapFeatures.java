package io.efftrain.pipeline.data;

import java.util.Objects;

/** Encoded features in one heap array: the fastest store, limited to what fits the heap (and to 2 GiB). */
public final class HeapFeatures implements FeatureStore {
    private static final long serialVersionUID = 1L;

    private final byte[] bytes;

    public HeapFeatures(byte[] bytes) {
        this.bytes = Objects.requireNonNull(bytes);
    }

    @Override
    public long bytes() {
        return bytes.length;
    }

    @Override
    public boolean spilled() {
        return false;
    }

    @Override
    public void decode(FeatureDecoder decoder, long offset, float[] out, int at) {
        decoder.decode(bytes, (int) offset, out, at);
    }

    @Override
    public void read(long offset, byte[] into) {
        System.arraycopy(bytes, (int) offset, into, 0, into.length);
    }
}
