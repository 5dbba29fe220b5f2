package io.efftrain.trainers.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.budget.StopReason;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.pipeline.training.Event;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.model.InputShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Budgets stop the loop, measured with an injected clock: nothing here sleeps. */
class TrainingLoopTest {
    private static EfftrainConfig config(String... budget) {
        List<String> overrides = new ArrayList<>(List.of("model.type=mlp", "model.mlp.hidden=[16]",
                "train.batch-size=50", "train.steps-per-round=2", "train.budget.epochs=null",
                "train.budget.wall-clock=null"));
        overrides.addAll(List.of(budget));
        return ConfigLoader.load(null, overrides);
    }

    @Test
    void wallClockBudgetStopsTrainingAndTheScheduleEndsWithIt() {
        EfftrainConfig config = config("train.budget.wall-clock=60s");
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        // Every reading of the clock is 10 s later: a round "takes" 10 s.
        ManualTicker ticker = new ManualTicker(Duration.ofSeconds(10));
        List<Event> events = new ArrayList<>();
        TrainingState state = trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 1000))), ticker,
                List.of(), List.of((event, s) -> events.add(event)));

        assertEquals(StopReason.WALL_CLOCK, state.stopReason().orElseThrow());
        assertEquals(6, state.time().rounds());
        assertEquals(Duration.ofSeconds(60), state.time().elapsed());
        // Two steps per 10 s: the 60 s budget allows 12 steps, and the last plan knew it.
        assertEquals(12, state.time().steps());
        assertEquals(12, state.plan().learningRates().totalSteps());
        assertEquals(Event.FIT_START, events.get(0));
        assertEquals(Event.FIT_END, events.get(events.size() - 1));
        assertEquals(6, events.stream().filter(e -> e == Event.ROUND_END).count());
    }

    @Test
    void epochBudgetStopsAtTheExactStepCount() {
        EfftrainConfig config = config("train.budget.epochs=1.5", "train.steps-per-round=4");
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        List<Event> events = new ArrayList<>();
        TrainingState state = trainer.train(new LocalBlockSet(FashionMnist.split(FashionMnist.block(true, 1000), 2)),
                new ManualTicker(Duration.ofMillis(1)), List.of(), List.of((event, s) -> events.add(event)));
        // 1000 examples, 2 workers x 50 per step: 10 steps per epoch, 15 for 1.5 epochs (rounds of 4, 4, 4, 3).
        assertEquals(StopReason.EPOCHS, state.stopReason().orElseThrow());
        assertEquals(15, state.time().steps());
        assertEquals(4, state.time().rounds());
        assertEquals(1500, state.time().samples());
        assertEquals(1, events.stream().filter(e -> e == Event.EPOCH_END).count());
        assertEquals(1500 * trainer.flopsPerExample(), state.time().flops(), 1e-6 * state.time().flops());
        assertTrue(state.plan().learningRates().rate(14) > 0);
        assertEquals(0.0, state.plan().learningRates().rate(15), 1e-12);
        // The last round's 3 steps each report their loss (averaged over the 2 workers), whose mean is the round's.
        double[] steps = state.lastRound().stepLosses();
        assertEquals(3, steps.length);
        assertEquals(state.lastRound().meanLoss(), java.util.Arrays.stream(steps).average().orElseThrow(), 1e-9);
    }

    /** Two epochs of 1000 examples on 2 workers at batch 50 (10 steps per epoch), evaluated on 100 examples. */
    private static TrainingState trainEvaluating(String... settings) {
        List<String> overrides = new ArrayList<>(List.of("train.budget.epochs=2"));
        overrides.addAll(List.of(settings));
        Trainer trainer = new Trainer(config(overrides.toArray(String[]::new)), new InputShape(1, 28, 28), 10);
        return trainer.train(new LocalBlockSet(FashionMnist.split(FashionMnist.block(true, 1000), 2)),
                Optional.of(new LocalBlockSet(List.of(FashionMnist.block(false, 100)))),
                new ManualTicker(Duration.ofMillis(1)), List.of(), List.of(), Optional.empty());
    }

    @Test
    void roundsEndAtEvaluationPointsSoEvaluationsComeAtTheConfiguredInterval() {
        // 1000 examples, 2 workers x 50 per step: 10 steps per epoch. Rounds of 8 steps would evaluate at epochs
        // 0.8, 1.6 and 2.0; ending rounds at the evaluation points gives every half epoch.
        TrainingState state = trainEvaluating("train.steps-per-round=8", "train.evaluation.every-epochs=0.5");

        assertEquals(List.of(0.5, 1.0, 1.5, 2.0), state.evaluations().stream().map(e -> e.time().epochs()).toList());
        assertEquals(List.of(5L, 10L, 15L, 20L), state.evaluations().stream().map(e -> e.time().steps()).toList());
        assertEquals(4, state.time().rounds(), "rounds of 5 steps: shortened only where an evaluation falls");
    }

    @Test
    void intervalsLongerThanARoundEvaluateOnceAtTheirEnd() {
        TrainingState state = trainEvaluating("train.steps-per-round=4", "train.evaluation.every-epochs=1");

        assertEquals(List.of(1.0, 2.0), state.evaluations().stream().map(e -> e.time().epochs()).toList());
        // Rounds of 4, 4, 2 steps per epoch.
        assertEquals(6, state.time().rounds());
    }

    @Test
    void selectiveBackpropKeepsAnEpochOnePassOverTheData() {
        // Half of every minibatch back-propagated, from the first step: the 2-epoch budget is still 20 steps of
        // 2 x 50 drawn examples, and the schedule anneals over exactly those.
        EfftrainConfig config = config("train.budget.epochs=2", "train.steps-per-round=4",
                "sampling.selective-backprop.enabled=true", "sampling.selective-backprop.start=0",
                "sampling.selective-backprop.end=1");
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        TrainingState state = trainer.train(new LocalBlockSet(FashionMnist.split(FashionMnist.block(true, 1000), 2)),
                new ManualTicker(Duration.ofMillis(1)), List.of(), List.of());

        assertEquals(StopReason.EPOCHS, state.stopReason().orElseThrow());
        assertEquals(20, state.time().steps());
        assertEquals(2000, state.time().samples());
        assertEquals(20, state.plan().learningRates().totalSteps());
        // 1000 of the 2000 drawn examples trained on, all 2000 scored by a forward pass (a third of training).
        double expected = (1000 + 2000 / 3.0) * trainer.flopsPerExample();
        assertEquals(expected, state.time().flops(), 1e-6 * expected);
    }

    @Test
    void aLossFarAboveAnUntrainedClassifiersIsDivergenceNotASuccess() {
        // Adam at rate 1e4: the loss explodes far above ln(10) without ever becoming NaN.
        EfftrainConfig config = config("train.budget.steps=40", "train.optimizer.type=adam",
                "train.optimizer.learning-rate=10000");
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        DivergenceException e = org.junit.jupiter.api.Assertions.assertThrows(DivergenceException.class,
                () -> trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 1000))),
                        new ManualTicker(Duration.ofMillis(1)), List.of(), List.of()));
        assertTrue(e.getMessage().contains("train.optimizer.learning-rate") && e.getMessage().contains("6.91"),
                e.getMessage());
        assertEquals(io.efftrain.pipeline.error.ExitCode.DIVERGED, e.exitCode());

        // A budget of one round: the run ends on the exploded round, which must not count as done either.
        Trainer oneRound = new Trainer(config("train.budget.steps=2", "train.optimizer.type=adam",
                "train.optimizer.learning-rate=10000"), new InputShape(1, 28, 28), 10);
        org.junit.jupiter.api.Assertions.assertThrows(DivergenceException.class,
                () -> oneRound.train(new LocalBlockSet(List.of(FashionMnist.block(true, 1000))),
                        new ManualTicker(Duration.ofMillis(1)), List.of(), List.of()));

        // The same network at a sane rate trains through all 40 steps.
        Trainer sane = new Trainer(config("train.budget.steps=40", "train.optimizer.type=adam",
                "train.optimizer.learning-rate=0.001"), new InputShape(1, 28, 28), 10);
        assertEquals(40, sane.train(new LocalBlockSet(List.of(FashionMnist.block(true, 1000))),
                new ManualTicker(Duration.ofMillis(1)), List.of(), List.of()).time().steps());
    }

    @Test
    void aTerminationSignalStopsAtTheNextRoundBoundary() {
        Trainer trainer = new Trainer(config("train.budget.steps=40"), new InputShape(1, 28, 28), 10);
        io.efftrain.pipeline.training.TerminationSignal.request();
        try {
            TrainingState state = trainer.train(new LocalBlockSet(List.of(FashionMnist.block(true, 1000))),
                    new ManualTicker(Duration.ofMillis(1)), List.of(), List.of());
            assertEquals(StopReason.TERMINATED, state.stopReason().orElseThrow());
            assertEquals(1, state.time().rounds(), "one round, then the signal is seen");
        } finally {
            io.efftrain.pipeline.training.TerminationSignal.reset();
        }
    }
}
