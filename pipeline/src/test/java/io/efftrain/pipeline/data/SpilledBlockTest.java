package io.efftrain.pipeline.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A block above its memory budget spills to a file and reads back exactly as the same block on the heap. */
class SpilledBlockTest {
    private static final int SIZE = 12;

    @TempDir
    Path dir;

    private static ExampleBlock build(BlockMemory memory, int examples) {
        Random random = new Random(4);
        ExampleBlock.Builder builder = new ExampleBlock.Builder(FeatureDecoder.pixelsToUnitRange(SIZE), memory);
        for (int i = 0; i < examples; i++) {
            byte[] features = new byte[SIZE];
            random.nextBytes(features);
            builder.add(i % 10, features);
        }
        return builder.build();
    }

    private static float[] decoded(ExampleBlock block, int[] order) {
        float[] out = new float[order.length * SIZE];
        block.fillFeatures(order, 0, order.length, out);
        return out;
    }

    @Test
    void aBlockAboveItsBudgetSpillsAndReadsLikeTheHeapBlock() {
        ExampleBlock heap = build(BlockMemory.unlimited(), 300);
        // 1000 bytes fit 83 examples on the heap; the rest spill with them to the file.
        ExampleBlock spilled = build(BlockMemory.of(1000).spillingTo(dir.toString()).withShuffleWindow(64), 300);
        assertFalse(heap.spilled());
        assertTrue(spilled.spilled());
        assertEquals(64, spilled.shuffleWindow());
        assertEquals(Integer.MAX_VALUE, heap.shuffleWindow(), "a heap block is shuffled whole");
        assertEquals(300L * SIZE, spilled.storedBytes());
        int[] order = {299, 0, 83, 82, 150, 7};
        assertArrayEquals(decoded(heap, order), decoded(spilled, order));
        assertArrayEquals(heap.encodedFeatures(123), spilled.encodedFeatures(123));
        assertArrayEquals(heap.slice(80, 10).encodedFeatures(5), spilled.slice(80, 10).encodedFeatures(5));
        for (int i = 0; i < 300; i++) {
            assertEquals(heap.label(i), spilled.label(i));
        }
        spilled.prefetch(0, 300);
        try (var files = listFiles()) {
            assertEquals(1, files.count(), "one spill file");
        }
        spilled.release();
        try (var files = listFiles()) {
            assertEquals(0, files.count(), "release deletes the spill file");
        }
    }

    @Test
    void aZeroBudgetSpillsFromTheFirstExampleAndAnEmptyBlockStaysOnTheHeap() {
        ExampleBlock all = build(BlockMemory.of(0).spillingTo(dir.toString()), 5);
        assertTrue(all.spilled());
        assertArrayEquals(decoded(build(BlockMemory.unlimited(), 5), new int[] {4, 3, 2, 1, 0}),
                decoded(all, new int[] {4, 3, 2, 1, 0}));
        assertFalse(build(BlockMemory.of(0).spillingTo(dir.toString()), 0).spilled());
    }

    @Test
    void examplesNeverStraddleTheFilesMappedSegments() throws Exception {
        // Segments hold whole examples: with 7-byte examples and 20-byte segments, two examples per segment.
        Path file = dir.resolve("block.bin");
        byte[] bytes = new byte[7 * 9];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) i;
        }
        Files.write(file, bytes);
        SpilledFeatures store = new SpilledFeatures(file, bytes.length, 7, 20);
        for (int example = 0; example < 9; example++) {
            byte[] read = new byte[7];
            store.read(example * 7L, read);
            for (int k = 0; k < 7; k++) {
                assertEquals(bytes[example * 7 + k], read[k], "example " + example + " byte " + k);
            }
        }
        store.prefetch(0, bytes.length);
    }

    @Test
    void aSpillFileChangedUnderneathIsNamedInTheError() throws Exception {
        ExampleBlock spilled = build(BlockMemory.of(0).spillingTo(dir.toString()), 10);
        Path file;
        try (var files = listFiles()) {
            file = files.findFirst().orElseThrow();
        }
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(50);
        }
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> spilled.encodedFeatures(0));
        assertTrue(error.getMessage().contains(file.toString()) && error.getMessage().contains("truncated"),
                error.getMessage());
    }

    private java.util.stream.Stream<Path> listFiles() {
        try {
            return Files.list(dir);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
