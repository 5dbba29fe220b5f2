package io.efftrain.trainers.incubation;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.run.RunDirectory;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.pipeline.training.TrainingCallback;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.MinibatchState;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.checkpoint.Checkpoint;
import io.efftrain.trainers.checkpoint.CheckpointStore;
import io.efftrain.trainers.checkpoint.CheckpointWriter;
import io.efftrain.trainers.loop.LoopSettings;
import io.efftrain.trainers.loop.TrainingLoop;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.network.Network;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Runs one module task where it is scheduled: trains the hybrid with the single-JVM loop under the module's
 * budget, checkpointing into the module's directory, and commits the trained stage there ({@code stage.bin},
 * {@code result.json}, then {@code _SUCCESS}). A retried task resumes from the module's checkpoint; a task
 * whose module is already committed returns the committed result without training.
 */
public final class ModuleRunner {
    /** The trained stage's parameters, in the module's directory. */
    public static final String STAGE_FILE = "stage.bin";
    private static final String RESULT_FILE = "result.bin";
    private static final String ATTEMPTS_FILE = "attempts.log";

    private ModuleRunner() {
    }

    /** Whether the module in {@code directory} is committed. */
    public static boolean committed(Path directory) {
        return Files.exists(directory.resolve(RunDirectory.SUCCESS));
    }

    /** The committed result of the module in {@code directory}. */
    public static ModuleResult committedResult(Path directory) {
        Path file = directory.resolve(RESULT_FILE);
        try (InputStream raw = Files.newInputStream(file); ObjectInputStream in = new ObjectInputStream(raw)) {
            return (ModuleResult) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw EfftrainException.badInput(file + ": a module result that cannot be read (" + e + ").", e);
        }
    }

    /** Trains the module (or resumes it) and commits its stage; returns what the driver reports. */
    public static ModuleResult run(ModuleTask task, ModuleTaskListener listener, Ticker ticker) {
        long started = ticker.nanos();
        Path dir = Path.of(task.directory());
        if (committed(dir)) {
            return committedResult(dir);
        }
        int attempt = recordAttempt(dir);
        CheckpointStore store = new CheckpointStore(dir.resolve("checkpoint"));
        Optional<Checkpoint> resume = store.load();
        LocalBlockSet blocks = new LocalBlockSet(List.of(task.data().load()));
        ModuleTask.Training t = task.training();
        List<TrainingAlgorithm<MinibatchState>> workerAlgorithms = new ArrayList<>();
        workerAlgorithms.add(new HoldLayers(task.heldLayers()));
        workerAlgorithms.addAll(t.workerAlgorithms());
        LoopSettings loop = new LoopSettings(t.batchSize(), t.stepsPerRound(), t.learningRate(), t.schedule(),
                t.warmup(), t.seed(), t.flopsPerExample(), workerAlgorithms);
        List<TrainingAlgorithm<TrainingState>> algorithms = resume.map(Checkpoint::algorithms).orElse(List.of());
        TrainingCallback<TrainingState> observer = (event, state) -> {
            if (event == Event.ROUND_END) {
                listener.roundEnded(task.module(), attempt, state.time(), dir);
            }
        };
        TrainingLoop trainingLoop = new TrainingLoop(blocks, task.hybrid(), loop, new Budget(t.budget().settings()),
                ticker, algorithms, List.of(new CheckpointWriter(store, t.checkpointEveryRounds(), algorithms),
                observer));
        TrainingState trained = resume.isPresent()
                ? trainingLoop.fit(resume.get().model(), resume.get().time(), resume.get().evaluations())
                : trainingLoop.fit(task.initial());

        Network net = task.hybrid().build();
        NetworkState.load(net, trained.model());
        StageParameters stage = StageParameters.capture(net, task.stageLayers());
        stage.save(dir.resolve(STAGE_FILE));
        var time = trained.time();
        ModuleResult result = new ModuleResult(task.module(), attempt, resume.map(c -> c.time().steps()).orElse(0L),
                time.steps(), time.samples(), time.epochs(), time.elapsed().toNanos() / 1e9,
                (ticker.nanos() - started) / 1e9,
                trained.lastRound() == null ? Double.NaN : trained.lastRound().meanLoss(),
                trained.stopReason().map(Enum::name).orElse(null), stage.count());
        RunDirectory.writeAtomically(dir.resolve(RESULT_FILE), serialise(result));
        RunDirectory.writeAtomically(dir.resolve("result.json"),
                Json.pretty(result.toMap()).getBytes(StandardCharsets.UTF_8));
        RunDirectory.writeAtomically(dir.resolve(RunDirectory.SUCCESS), new byte[0]);
        return result;
    }

    /** Appends this start to the module's attempt log; returns its number (1 for the first start). */
    private static int recordAttempt(Path dir) {
        try {
            Files.createDirectories(dir);
            Path log = dir.resolve(ATTEMPTS_FILE);
            int attempt = Files.exists(log) ? Files.readAllLines(log).size() + 1 : 1;
            Files.writeString(log, "attempt " + attempt + " started " + java.time.Instant.now() + "\n",
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            return attempt;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(ATTEMPTS_FILE), e);
        }
    }

    private static byte[] serialise(ModuleResult result) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(result);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
