package io.efftrain.pipeline.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.data.ExampleBlock;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.nio.file.Path;

/**
 * The real Fashion-MNIST files of the Debian package. Tests that need them fail (never skip) when the package is
 * missing, with the command that installs it.
 */
public final class FashionMnist {
    public static final Path DIR = Path.of("/usr/share/datasets/fashion-mnist");
    public static final Path TRAIN_IMAGES = DIR.resolve("train-images-idx3-ubyte.gz");
    public static final Path TRAIN_LABELS = DIR.resolve("train-labels-idx1-ubyte.gz");
    public static final Path TEST_IMAGES = DIR.resolve("t10k-images-idx3-ubyte.gz");
    public static final Path TEST_LABELS = DIR.resolve("t10k-labels-idx1-ubyte.gz");

    private FashionMnist() {
    }

    /**
     * The first {@code n} examples of a split as a block, read straight from the IDX files (for modules that do
     * not depend on efftrain's own readers).
     */
    public static ExampleBlock block(boolean train, int n) {
        require();
        try (DataInputStream images = new DataInputStream(new GZIPInputStream(
                Files.newInputStream(train ? TRAIN_IMAGES : TEST_IMAGES)));
             DataInputStream labels = new DataInputStream(new GZIPInputStream(
                     Files.newInputStream(train ? TRAIN_LABELS : TEST_LABELS)))) {
            images.skipNBytes(16);
            labels.skipNBytes(8);
            byte[] pixels = new byte[n * 784];
            images.readFully(pixels);
            int[] y = new int[n];
            for (int i = 0; i < n; i++) {
                y[i] = labels.readUnsignedByte();
            }
            return new ExampleBlock(y, pixels, 784);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits a block into {@code parts} blocks of consecutive examples. */
    public static List<ExampleBlock> split(ExampleBlock block, int parts) {
        List<ExampleBlock> out = new ArrayList<>();
        int per = block.size() / parts;
        for (int p = 0; p < parts; p++) {
            int from = p * per;
            out.add(block.slice(from, p == parts - 1 ? block.size() - from : per));
        }
        return out;
    }

    /** Asserts the data set is installed and returns its directory. */
    public static Path require() {
        assertTrue(Files.isRegularFile(TRAIN_IMAGES) && Files.isRegularFile(TEST_LABELS),
                "Fashion-MNIST is not installed under " + DIR + "; run: sudo apt-get install dataset-fashion-mnist");
        return DIR;
    }
}
