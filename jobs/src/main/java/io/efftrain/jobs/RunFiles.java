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
public final class RunFiles {
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

    /**
     * A scheduler's rerun of a committed run ({@code --skip-if-done}): the outcome the run had, read back from its
     * summary, when {@code target} holds a completed run of exactly this config; empty when it holds none. A
     * completed run of another config is an error: the rerun would not reproduce it.
     */
    @SuppressWarnings("unchecked")
    static java.util.Optional<RunJob.Outcome> completedWithSameConfig(Path target, EfftrainConfig config) {
        if (!Files.exists(target.resolve(RunDirectory.SUCCESS))) {
            return java.util.Optional.empty();
        }
        Path saved = target.resolve("config.conf");
        if (!Files.exists(saved) || !readString(saved).equals(config.render())) {
            throw new EfftrainException(io.efftrain.pipeline.error.ExitCode.ALREADY_DONE, "--skip-if-done: "
                    + target.toAbsolutePath() + " holds a completed run of another config (see " + saved + "); "
                    + "choose another --run-dir, or pass --overwrite instead to replace it.");
        }
        try {
            java.util.Map<String, Object> summary = io.efftrain.pipeline.run.Json.mapper()
                    .readValue(target.resolve("summary.json").toFile(), java.util.Map.class);
            Object training = summary.get("training");
            Object stop = training instanceof java.util.Map<?, ?> t ? t.get("stop_reason") : null;
            boolean missed = config.train().evaluation().targetAccuracy().isPresent()
                    && !"TARGET_REACHED".equals(stop);
            return java.util.Optional.of(new RunJob.Outcome(((Number) summary.get("test_accuracy")).doubleValue(),
                    target, missed));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the summary of the completed run in " + target, e);
        }
    }

    /** Where a run or benchmark goes when no directory is given: {@code runs/<name>-<UTC timestamp>}. */
    public static Path defaultDirectory(String name, Clock clock) {
        return Path.of("runs", name + "-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT)
                .withZone(ZoneOffset.UTC).format(clock.instant()));
    }

    /** The trained network as a DL4J model file with its provenance inside, written whole or not at all. */
    static void saveModel(Trainer trainer, TrainingState trained, RunProvenance provenance, Path file) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            ModelSerializer.writeModel(trainer.toNetwork(trained.model()).model(), tmp.toFile(), true);
            provenance.writeInto(tmp);
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
