package io.efftrain.trainers.algorithms;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.pipeline.training.TrainingCallback;
import io.efftrain.trainers.DriverAlgorithms;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.WorkerAlgorithms;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.MinibatchState;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.checkpoint.Checkpoint;
import io.efftrain.trainers.checkpoint.CheckpointStore;
import io.efftrain.trainers.loop.LoopSettings;
import io.efftrain.trainers.loop.TrainingLoop;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.algorithms.stopping.PlateauStop;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every algorithm either registry can build, worker-side and driver-side: it survives Java serialisation (how
 * it reaches Spark executors and checkpoints), and a run killed after round 4 and resumed from its checkpoint
 * ends exactly like the run that was never interrupted, with the algorithm in the same state.
 */
class EveryAlgorithmTest {
    private static final InputShape SHAPE = new InputShape(1, 28, 28);
    // 400 examples, batch 50, 2 steps a round: 12 rounds; an evaluation every half epoch (every 4 steps).
    private static final List<String> BASE = List.of("model.type=mlp", "model.mlp.hidden=[8, 8]",
            "train.batch-size=50", "train.steps-per-round=2", "train.budget.epochs=null", "train.budget.steps=24",
            "train.budget.wall-clock=null", "train.regularization.label-smoothing=0.1",
            "train.regularization.mixup-alpha=0.2", "train.regularization.cutmix-alpha=1.0",
            "train.freezing.layers=1", "train.freezing.until=0.5", "train.evaluation.every-epochs=0.5",
            "train.evaluation.target-accuracy=0.69",
            "train.evaluation.patience=3", "sampling.selective-backprop.enabled=true",
            "sampling.selective-backprop.start=0.2", "sampling.selective-backprop.end=0.8");
    // Scripted accuracies: the best (0.6) comes before the checkpoint and the plateau after it, so PlateauStop
    // stops at the fifth evaluation only if it remembers that best across the resume; 0.7 would meet the target.
    private static final double[] ACCURACIES = {0.5, 0.6, 0.55, 0.58, 0.59, 0.7};
    private static final int CHECKPOINT_ROUND = 4;

    private static EfftrainConfig config(String... more) {
        List<String> overrides = new ArrayList<>(BASE);
        overrides.addAll(List.of(more));
        return ConfigLoader.load(null, overrides);
    }

    /** Every registered algorithm with fresh state, under its class name. EMA and SWA exclude each other. */
    static Stream<Arguments> registered() {
        // EMA and SWA exclude each other, and so do InfoBatch and a curriculum.
        EfftrainConfig ema = config("train.weight-averaging.ema-decay=0.9", "sampling.infobatch.enabled=true");
        EfftrainConfig swa = config("train.weight-averaging.swa-start=0.3", "sampling.curriculum.pacing=linear");
        List<Object> all = new ArrayList<>(WorkerAlgorithms.of(ema.train(), ema.sampling(), SHAPE));
        all.addAll(DriverAlgorithms.of(ema.train(), ema.sampling(), 7));
        all.addAll(DriverAlgorithms.of(swa.train(), swa.sampling(), 7).stream()
                .filter(a -> all.stream().noneMatch(b -> b.getClass() == a.getClass())).toList());
        return all.stream().map(a -> Arguments.of(a.getClass().getSimpleName(), a));
    }

    @Test
    void theRegistriesBuildEveryAlgorithm() {
        Set<String> names = registered().map(a -> (String) a.get()[0]).collect(Collectors.toSet());
        assertEquals(Set.of("MixupAlgorithm", "CutMixAlgorithm", "LabelSmoothingAlgorithm", "LayerFreezing",
                "SelectiveBackpropAlgorithm", "EmaAlgorithm", "SwaAlgorithm", "TargetAccuracyStop", "PlateauStop",
                "InfoBatchAlgorithm", "CurriculumAlgorithm"), names);
    }

    private static byte[] serialise(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(value);
        } catch (IOException e) {
            throw new AssertionError("not serialisable: " + value, e);
        }
        return bytes.toByteArray();
    }

    @SuppressWarnings("unchecked")
    private static <T> T copy(T value) {
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(serialise(value)))) {
            return (T) in.readObject();
        } catch (IOException | ClassNotFoundException e) {
            throw new AssertionError(e);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registered")
    void survivesSerialisationWithItsState(String name, Object algorithm) {
        Object copy = copy(algorithm);
        assertEquals(algorithm.getClass(), copy.getClass());
        assertArrayEquals(serialise(algorithm), serialise(copy), name + " comes back field for field");
    }

    private static boolean isWorkerSide(Object algorithm) {
        return registeredWorkerClasses().contains(algorithm.getClass());
    }

    private static Set<Class<?>> registeredWorkerClasses() {
        EfftrainConfig config = config("train.weight-averaging.ema-decay=0.9");
        return WorkerAlgorithms.of(config.train(), config.sampling(), SHAPE).stream()
                .map(Object::getClass).collect(Collectors.toSet());
    }

    /** What a run leaves behind: the final model, why it stopped, and the algorithm's final state as bytes. */
    private record Outcome(float[] parameters, String stopReason, int evaluations, byte[] algorithmState) {
    }

    private static Outcome run(Object algorithm, Optional<Checkpoint> resume, List<TrainingCallback<TrainingState>> callbacks,
                               List<TrainingAlgorithm<TrainingState>> driver) {
        EfftrainConfig config = config("train.weight-averaging.ema-decay=0.9");
        Trainer trainer = new Trainer(config, SHAPE, 10);
        @SuppressWarnings("unchecked")
        List<TrainingAlgorithm<MinibatchState>> worker = isWorkerSide(algorithm)
                ? List.of(copy((TrainingAlgorithm<MinibatchState>) algorithm)) : List.of();
        LoopSettings settings = new LoopSettings(50, 2, 0.02, config.train().schedule(), 0, 7, 0, worker);
        TrainingLoop loop = new TrainingLoop(new LocalBlockSet(List.of(FashionMnist.block(true, 400))), trainer.spec(),
                settings, new Budget(config.train().budget()), new ManualTicker(Duration.ofMillis(1)), driver, callbacks);
        int[] next = {resume.map(c -> c.evaluations().size()).orElse(0)};
        loop.evaluatingEvery(0.5, model -> new EvaluationCounts(Math.round(ACCURACIES[Math.min(next[0]++,
                ACCURACIES.length - 1)] * 1000), 1000, 0.5));
        TrainingState end = resume.isPresent()
                ? loop.fit(resume.get().model(), resume.get().time(), resume.get().evaluations())
                : loop.fit(NetworkState.capture(trainer.newNetwork()));
        Object finalState = isWorkerSide(algorithm) ? worker.get(0) : driver.get(0);
        return new Outcome(end.model().parameters(), end.stopReason().orElseThrow().name(), end.evaluations().size(),
                serialise(finalState));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("registered")
    @SuppressWarnings("unchecked")
    void aResumedRunEndsLikeAnUninterruptedOne(String name, Object algorithm, @TempDir Path dir) {
        List<TrainingAlgorithm<TrainingState>> driverOnly = isWorkerSide(algorithm) ? List.of()
                : List.of(copy((TrainingAlgorithm<TrainingState>) algorithm));
        Outcome straight = run(algorithm, Optional.empty(), List.of(), driverOnly);

        CheckpointStore store = new CheckpointStore(dir);
        List<TrainingAlgorithm<TrainingState>> interrupted = isWorkerSide(algorithm) ? List.of()
                : List.of(copy((TrainingAlgorithm<TrainingState>) algorithm));
        // The checkpoint of round 4, written after its evaluation, as CheckpointWriter does.
        run(algorithm, Optional.empty(), List.of((event, state) -> {
            if ((event == Event.ROUND_END || event == Event.EVAL_END) && state.time().rounds() == CHECKPOINT_ROUND) {
                store.save(new Checkpoint(state.model(), state.time(), interrupted, List.copyOf(state.evaluations())));
            }
        }), interrupted);
        Checkpoint checkpoint = store.load().orElseThrow();
        assertEquals(CHECKPOINT_ROUND, checkpoint.time().rounds());
        assertNotNull(checkpoint.algorithms());

        Outcome resumed = run(algorithm, Optional.of(checkpoint), List.of(), checkpoint.algorithms());
        assertEquals(straight.stopReason(), resumed.stopReason(), name);
        assertEquals(straight.evaluations(), resumed.evaluations(), name);
        assertArrayEquals(straight.parameters(), resumed.parameters(), 0f, name + ": the same final model");
        assertArrayEquals(straight.algorithmState(), resumed.algorithmState(), name + ": the same final state");
    }

    @Test
    void thePlateauRuleReallyStopsOnTheScriptedAccuracies() {
        // Guards the script above: an uninterrupted PlateauStop stops at the fifth evaluation, before the budget.
        Outcome straight = run(new PlateauStop(3), Optional.empty(), List.of(), List.of(new PlateauStop(3)));
        assertEquals("PLATEAU", straight.stopReason());
        assertEquals(5, straight.evaluations());
    }
}
