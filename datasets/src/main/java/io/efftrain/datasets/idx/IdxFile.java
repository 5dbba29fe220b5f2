package io.efftrain.datasets.idx;

import io.efftrain.pipeline.error.EfftrainException;
import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A streaming reader of one IDX file (the format of MNIST and Fashion-MNIST), gzip-compressed or plain, unsigned
 * bytes only. It validates the header and reports a truncated or corrupt file with its name and the record
 * where reading failed.
 *
 * <p>Format: two zero bytes, a type byte (0x08 = unsigned byte), a dimension count d, d big-endian int32 sizes;
 * the first size is the record count and the rest the shape of one record; then the records.
 */
public final class IdxFile implements Closeable {
    private static final int UNSIGNED_BYTE = 0x08;

    private final String name;
    private final DataInputStream in;
    private final int count;
    private final int[] recordShape;
    private final int recordSize;
    private long position;

    private IdxFile(String name, DataInputStream in, int count, int[] recordShape) {
        this.name = name;
        this.in = in;
        this.count = count;
        this.recordShape = recordShape;
        int size = 1;
        for (int d : recordShape) {
            size = Math.multiplyExact(size, d);
        }
        this.recordSize = size;
    }

    /**
     * Opens an IDX stream and reads its header; gzip is detected from the first bytes.
     *
     * @param name the file's name, for messages
     * @param raw the file's bytes; closed with this reader
     */
    public static IdxFile open(String name, InputStream raw) {
        try {
            BufferedInputStream buffered = new BufferedInputStream(raw, 1 << 16);
            buffered.mark(2);
            int b0 = buffered.read();
            int b1 = buffered.read();
            buffered.reset();
            InputStream body = buffered;
            if (b0 == 0x1f && b1 == 0x8b) {
                body = new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16);
            }
            DataInputStream in = new DataInputStream(body);
            int zero0 = in.readUnsignedByte();
            int zero1 = in.readUnsignedByte();
            int type = in.readUnsignedByte();
            int dims = in.readUnsignedByte();
            if (zero0 != 0 || zero1 != 0) {
                throw EfftrainException.badInput(String.format("%s: not an IDX file: its magic number starts with "
                        + "0x%02x%02x, expected 0x0000 followed by a type byte and a dimension count.",
                        name, zero0, zero1));
            }
            if (type != UNSIGNED_BYTE) {
                throw EfftrainException.badInput(String.format("%s: IDX element type 0x%02x is not supported; "
                        + "efftrain reads unsigned-byte IDX files (type 0x08).", name, type));
            }
            if (dims < 1 || dims > 4) {
                throw EfftrainException.badInput(name + ": IDX header declares " + dims
                        + " dimensions; expected 1 (labels) to 4 (images with channels).");
            }
            int count = in.readInt();
            int[] shape = new int[dims - 1];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = in.readInt();
                if (shape[i] <= 0) {
                    throw EfftrainException.badInput(name + ": IDX dimension " + (i + 2) + " is " + shape[i]
                            + "; every dimension must be positive.");
                }
            }
            if (count < 0) {
                throw EfftrainException.badInput(name + ": IDX record count is negative (" + count + ").");
            }
            return new IdxFile(name, in, count, shape);
        } catch (EOFException e) {
            throw EfftrainException.badInput(name + ": file ends inside the IDX header; it is truncated or empty.", e);
        } catch (ZipException e) {
            throw EfftrainException.badInput(name + ": corrupt gzip data in the header (" + e.getMessage() + ").", e);
        } catch (IOException e) {
            throw EfftrainException.badInput(name + ": cannot read: " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    /** Records the header declares. */
    public int count() {
        return count;
    }

    /** The shape of one record (empty for labels, {rows, cols} for grey images). */
    public int[] recordShape() {
        return recordShape.clone();
    }

    /** Bytes per record. */
    public int recordSize() {
        return recordSize;
    }

    /** Skips records without keeping them (gzip must still be inflated up to there). */
    public void skip(long records) {
        byte[] scratch = new byte[recordSize];
        for (long i = 0; i < records; i++) {
            read(scratch);
        }
    }

    /** Reads the next record into {@code out} ({@link #recordSize()} bytes). */
    public void read(byte[] out) {
        if (position >= count) {
            throw new IllegalStateException(name + ": all " + count + " records were read already");
        }
        try {
            in.readFully(out, 0, recordSize);
            position++;
        } catch (EOFException e) {
            throw EfftrainException.badInput(String.format("%s: truncated: the header declares %d records of %d "
                    + "bytes, but the file ends inside record %d. Re-download or re-create the file.",
                    name, count, recordSize, position), e);
        } catch (ZipException e) {
            throw EfftrainException.badInput(String.format("%s: corrupt gzip data at record %d (%s).",
                    name, position, e.getMessage()), e);
        } catch (IOException e) {
            throw EfftrainException.badInput(name + ": cannot read record " + position + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads every remaining byte and checks that the file holds exactly the records its header declares. A gzip
     * stream's CRC and length are checked only at its end, so a reader that stops early (a record limit, a chunk
     * of the file) could decode corrupted bytes as data without this: deflate itself carries no checksum.
     */
    public void verifyToEnd() {
        long expected = (long) (count - position) * recordSize;
        long found;
        try {
            found = in.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (ZipException e) {
            throw EfftrainException.badInput(String.format("%s: corrupt gzip data (%s): the file is damaged. "
                    + "Re-download or re-create it.", name, e.getMessage()), e);
        } catch (EOFException e) {
            throw EfftrainException.badInput(String.format("%s: truncated: the gzip stream ends early. "
                    + "Re-download or re-create the file.", name), e);
        } catch (IOException e) {
            throw EfftrainException.badInput(name + ": cannot read: " + e.getMessage(), e);
        }
        if (found < expected) {
            throw EfftrainException.badInput(String.format("%s: truncated: the header declares %d records of %d "
                    + "bytes, but the file ends inside record %d. Re-download or re-create the file.",
                    name, count, recordSize, position + found / recordSize));
        }
        if (found > expected) {
            throw EfftrainException.badInput(String.format("%s: %d bytes follow the %d records of %d bytes its "
                    + "header declares; the header or the file is wrong. Re-download or re-create the file.",
                    name, found - expected, count, recordSize));
        }
        position = count;
    }

    /** Reads the next label record (a single unsigned byte). */
    public int readLabel() {
        if (recordSize != 1) {
            throw new IllegalStateException(name + " holds records of shape " + Arrays.toString(recordShape));
        }
        byte[] one = new byte[1];
        read(one);
        return one[0] & 0xFF;
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // Nothing was written; a failed close of a read-only stream loses nothing.
        }
    }
}
