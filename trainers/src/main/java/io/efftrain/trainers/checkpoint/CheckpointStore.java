package io.efftrain.trainers.checkpoint;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.run.RunDirectory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The latest checkpoint of a run, in one file written through a temporary file and an atomic rename: a
 * process killed while writing leaves the previous checkpoint intact.
 */
public final class CheckpointStore {
    private final Path file;

    public CheckpointStore(Path directory) {
        this.file = directory.resolve("latest.ckpt");
    }

    public Path file() {
        return file;
    }

    /** Replaces the stored checkpoint. */
    public void save(Checkpoint checkpoint) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(checkpoint);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise checkpoint for " + file, e);
        }
        RunDirectory.writeAtomically(file, bytes.toByteArray());
    }

    /** The stored checkpoint, if there is one. */
    public Optional<Checkpoint> load() {
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream raw = Files.newInputStream(file); ObjectInputStream in = new ObjectInputStream(raw)) {
            return Optional.of((Checkpoint) in.readObject());
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw new EfftrainException(ExitCode.BAD_INPUT, "checkpoint " + file + " cannot be read (" + e
                    + "); it was written by another efftrain version or is damaged. Start a fresh run.", e);
        }
    }
}
