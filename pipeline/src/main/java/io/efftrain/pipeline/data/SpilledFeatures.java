package io.efftrain.pipeline.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Encoded features in a file on the worker's local disk, mapped into memory in segments of at most 1 GiB
 * (whole examples each, so no example straddles two). The heap holds none of it: the operating system pages the
 * file in as training reads it and drops pages under memory pressure, so a worker's share may exceed its heap,
 * the 2 GiB limit of one Java array and, read in windows, the machine's memory. The file belongs to the worker
 * that wrote it: a store is used where it was built (Spark caches it there) and is not meant to travel.
 */
public final class SpilledFeatures implements FeatureStore {
    private static final long serialVersionUID = 1L;
    private static final long SEGMENT_LIMIT = 1L << 30;

    private final String file;
    private final long bytes;
    private final int bytesPerExample;
    private final long segmentLimit;
    private transient volatile MappedByteBuffer[] segments;
    private transient ThreadLocal<byte[]> scratch;

    /**
     * @param file the spill file, {@code bytes} long, examples of {@code bytesPerExample} bytes back to back
     */
    public SpilledFeatures(Path file, long bytes, int bytesPerExample) {
        this(file, bytes, bytesPerExample, SEGMENT_LIMIT);
    }

    /** With mapped segments of at most {@code segmentLimit} bytes (tests use small ones). */
    SpilledFeatures(Path file, long bytes, int bytesPerExample, long segmentLimit) {
        this.file = file.toString();
        this.bytes = bytes;
        this.bytesPerExample = Math.max(1, bytesPerExample);
        this.segmentLimit = segmentLimit;
    }

    /** The spill file. */
    public Path file() {
        return Path.of(file);
    }

    @Override
    public long bytes() {
        return bytes;
    }

    @Override
    public boolean spilled() {
        return true;
    }

    @Override
    public void decode(FeatureDecoder decoder, long offset, float[] out, int at) {
        byte[] example = scratch();
        read(offset, example);
        decoder.decode(example, 0, out, at);
    }

    @Override
    public void read(long offset, byte[] into) {
        long segmentBytes = segmentBytes();
        MappedByteBuffer segment = segments()[(int) (offset / segmentBytes)];
        segment.get((int) (offset % segmentBytes), into, 0, into.length);
    }

    @Override
    public void prefetch(long offset, long length) {
        long segmentBytes = segmentBytes();
        long end = Math.min(bytes, offset + length);
        MappedByteBuffer[] mapped = segments();
        for (long at = Math.max(0, offset); at < end; ) {
            int index = (int) (at / segmentBytes);
            int from = (int) (at % segmentBytes);
            int to = (int) Math.min(mapped[index].capacity(), from + (end - at));
            mapped[index].slice(from, to - from).load();
            at += to - from;
        }
    }

    @Override
    public void release() {
        segments = null;
        try {
            // The mapping stays valid until it is collected; deleting the name frees the disk space then.
            Files.deleteIfExists(file());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the spill file " + file, e);
        }
    }

    private long segmentBytes() {
        return Math.max(1, segmentLimit / bytesPerExample) * bytesPerExample;
    }

    private byte[] scratch() {
        if (scratch == null) {
            scratch = ThreadLocal.withInitial(() -> new byte[bytesPerExample]);
        }
        return scratch.get();
    }

    private MappedByteBuffer[] segments() {
        MappedByteBuffer[] mapped = segments;
        if (mapped == null) {
            synchronized (this) {
                if (segments == null) {
                    segments = map();
                }
                mapped = segments;
            }
        }
        return mapped;
    }

    private MappedByteBuffer[] map() {
        long segmentBytes = segmentBytes();
        int count = (int) Math.max(1, (bytes + segmentBytes - 1) / segmentBytes);
        MappedByteBuffer[] mapped = new MappedByteBuffer[count];
        try (FileChannel channel = FileChannel.open(file(), StandardOpenOption.READ)) {
            if (channel.size() != bytes) {
                throw new IllegalStateException("the spill file " + file + " holds " + channel.size()
                        + " bytes, " + bytes + " were written: it was changed or truncated while training");
            }
            for (int i = 0; i < count; i++) {
                long from = i * segmentBytes;
                mapped[i] = channel.map(FileChannel.MapMode.READ_ONLY, from, Math.min(segmentBytes, bytes - from));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot map the spill file " + file + " (a block of training examples "
                    + "spilled to local disk; it lives in Spark's local directory while the run trains)", e);
        }
        return mapped;
    }
}
