package io.efftrain.pipeline.run;

import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;

/**
 * An append-only JSON-lines file of training metrics, one object per line, flushed per line so a reader (or a
 * resumed run) sees every completed round even if the process is killed.
 */
public final class MetricsLog implements Closeable {
    private final BufferedWriter writer;

    public MetricsLog(Path file) {
        try {
            Files.createDirectories(file.getParent());
            this.writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open metrics file " + file, e);
        }
    }

    /**
     * Keeps only the first {@code lines} lines of a metrics file: a resumed run redoes the rounds after its last
     * checkpoint, and their lines from the killed attempt must not appear twice.
     */
    public static void truncate(Path file, long lines) {
        if (!Files.exists(file)) {
            return;
        }
        try {
            java.util.List<String> kept = Files.readAllLines(file, StandardCharsets.UTF_8).stream().limit(lines).toList();
            RunDirectory.writeAtomically(file, (kept.isEmpty() ? "" : String.join("\n", kept) + "\n")
                    .getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot truncate metrics file " + file, e);
        }
    }

    /** Appends one record. */
    public void append(Map<String, ?> record) {
        try {
            writer.write(Json.line(record));
            writer.newLine();
            writer.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to metrics file", e);
        }
    }

    @Override
    public void close() {
        try {
            writer.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
