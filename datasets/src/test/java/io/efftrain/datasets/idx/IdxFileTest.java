package io.efftrain.datasets.idx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

class IdxFileTest {
    @Test
    void readsTheRealFashionMnistHeadersAndRecords() throws IOException {
        FashionMnist.require();
        try (IdxFile images = IdxFile.open("train-images", Files.newInputStream(FashionMnist.TRAIN_IMAGES));
             IdxFile labels = IdxFile.open("train-labels", Files.newInputStream(FashionMnist.TRAIN_LABELS))) {
            assertEquals(60_000, images.count());
            assertArrayEquals(new int[] {28, 28}, images.recordShape());
            assertEquals(784, images.recordSize());
            assertEquals(60_000, labels.count());
            assertEquals(0, labels.recordShape().length);
            // The first training labels of Fashion-MNIST: ankle boot, T-shirt, T-shirt, dress, T-shirt.
            int[] first = new int[5];
            for (int i = 0; i < first.length; i++) {
                first[i] = labels.readLabel();
            }
            assertArrayEquals(new int[] {9, 0, 0, 3, 0}, first);
            byte[] pixels = new byte[784];
            images.read(pixels);
            int max = 0;
            for (byte b : pixels) {
                max = Math.max(max, b & 0xFF);
            }
            assertTrue(max > 200, "the first image has bright pixels");
        }
    }

    @Test
    void plainAndGzipFilesReadTheSame() throws IOException {
        FashionMnist.require();
        byte[] plain;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(FashionMnist.TEST_LABELS))) {
            plain = in.readAllBytes();
        }
        try (IdxFile fromPlain = IdxFile.open("plain", new ByteArrayInputStream(plain));
             IdxFile fromGzip = IdxFile.open("gzip", Files.newInputStream(FashionMnist.TEST_LABELS))) {
            assertEquals(10_000, fromPlain.count());
            for (int i = 0; i < 100; i++) {
                assertEquals(fromGzip.readLabel(), fromPlain.readLabel());
            }
        }
    }

    @Test
    void wrongMagicIsABadInputNamingTheFile() {
        byte[] bytes = {1, 2, 8, 1, 0, 0, 0, 1, 5};
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> IdxFile.open("labels.idx", new ByteArrayInputStream(bytes)));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("labels.idx: not an IDX file"), e.getMessage());
    }

    @Test
    void truncatedFileNamesTheRecordWhereItEnds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {0, 0, 8, 3, 0, 0, 0, 3, 0, 0, 0, 2, 0, 0, 0, 2});
        out.writeBytes(new byte[4 + 2]);
        IdxFile file = IdxFile.open("images.idx", new ByteArrayInputStream(out.toByteArray()));
        byte[] record = new byte[4];
        file.read(record);
        EfftrainException e = assertThrows(EfftrainException.class, () -> file.read(record));
        assertTrue(e.getMessage().contains("ends inside record 1"), e.getMessage());
        assertTrue(e.getMessage().contains("3 records of 4 bytes"), e.getMessage());
    }

    @Test
    void truncatedGzipIsReportedAsBadInput() throws IOException {
        FashionMnist.require();
        byte[] gz = Files.readAllBytes(FashionMnist.TEST_LABELS);
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        IdxFile file = IdxFile.open("t10k-labels cut", new ByteArrayInputStream(cut));
        EfftrainException e = assertThrows(EfftrainException.class, () -> file.skip(file.count()));
        assertEquals(ExitCode.BAD_INPUT, e.exitCode());
        assertTrue(e.getMessage().startsWith("t10k-labels cut:"), e.getMessage());
    }
}
