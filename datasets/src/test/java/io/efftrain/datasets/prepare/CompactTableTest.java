package io.efftrain.datasets.prepare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole Fashion-MNIST training set on disk costs at most 1.1 bytes per pixel (float32 would be 4). */
class CompactTableTest {
    @TempDir
    Path dir;

    @Test
    void fullFashionMnistTrainSplitIsAtMostOnePointOneBytesPerPixel() throws IOException {
        FashionMnist.require();
        TableManifest manifest = TestSources.prepare(dir.resolve("full"));
        assertEquals(60_000L, manifest.countsBySplit().get("train"));
        assertEquals(10_000L, manifest.countsBySplit().get("test"));
        long bytes;
        try (Stream<Path> files = Files.walk(dir.resolve("full/split=train"))) {
            bytes = files.filter(p -> p.toString().endsWith(".parquet")).mapToLong(p -> p.toFile().length()).sum();
        }
        double perPixel = bytes / (60_000.0 * 784);
        assertTrue(perPixel <= 1.1, "bytes per pixel: " + perPixel);
    }
}
