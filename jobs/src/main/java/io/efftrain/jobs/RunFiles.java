package io.efftrain.jobs;

import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.run.RunDirectory;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.loop.TrainingState;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.deeplearning4j.util.ModelSerializer;

/** File steps that {@code run} and {@code incubate} share when they fill and commit a run directory. */
final class RunFiles {
    private RunFiles() {
    }

    /**
     * Refuses {@code --resume} with another config than the run was started with: the checkpoint's step count,
     * schedule and algorithm state only make sense for the config that wrote them.
     */
    static void checkResumableWith(RunDirectory runDir, RunOptions options, EfftrainConfig config) {
        Path savedConfig = runDir.resolve("config.conf");
        if (options.resume() && Files.exists(savedConfig) && !readString(savedConfig).equals(config.render())) {
            throw EfftrainException.badConfig("--resume: the run in " + runDir.target() + " was started with a "
                    + "different config (see " + savedConfig + "); resume with the same config file and --set values.");
        }
    }

    /** Where a run or benchmark goes when no directory is given: {@code runs/<name>-<UTC timestamp>}. */
    static Path defaultDirectory(String name, Clock clock) {
        return Path.of("runs", name + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(clock.instant()));
    }

    /** The trained network as a DL4J model file, written whole or not at all. */
    static void saveModel(Trainer trainer, TrainingState trained, Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            ModelSerializer.writeModel(trainer.toNetwork(trained.model()).model(), tmp.toFile(), true);
            RunDirectory.moveAtomically(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the model to " + file, e);
        }
    }

    static void deleteTree(Path dir) {
        try {
            RunDirectory.deleteRecursively(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    static String readString(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
