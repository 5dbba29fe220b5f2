package io.efftrain.trainers.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.budget.StopReason;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.algorithms.stopping.PlateauStop;
import io.efftrain.trainers.algorithms.stopping.TargetAccuracyStop;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Evaluation during training and the stopping rules, with scripted evaluation results and an injected clock:
 * each round "takes" 10 s, each evaluation 100 s that the budget must not count.
 */
class EvaluationAndStoppingTest {
    private static final EfftrainConfig CONFIG = ConfigLoader.load(null, List.of("model.type=mlp",
            "model.mlp.hidden=[8]", "train.batch-size=50", "train.steps-per-round=2", "train.budget.epochs=null",
            "train.budget.wall-clock=300s"));

    private static TrainingState run(List<Double> accuracies, List<TrainingAlgorithm<TrainingState>> algorithms) {
        Trainer trainer = new Trainer(CONFIG, new InputShape(1, 28, 28), 10);
        ManualTicker ticker = new ManualTicker(Duration.ZERO);
        LoopSettings settings = new LoopSettings(50, 2, 0.02, CONFIG.train().schedule(), 0, 1, 0, List.of());
        TrainingLoop loop = new TrainingLoop(new LocalBlockSet(List.of(FashionMnist.block(true, 400))),
                trainer.spec(), settings, new Budget(CONFIG.train().budget()), ticker, algorithms,
                List.of((event, state) -> {
                    if (event == Event.ROUND_START) {
                        ticker.advance(Duration.ofSeconds(10));
                    }
                }));
        Iterator<Double> scripted = accuracies.iterator();
        // 400 examples, 2 steps of 50 per round: an epoch every 4 rounds; evaluate every half epoch.
        loop.evaluatingEvery(0.5, model -> {
            ticker.advance(Duration.ofSeconds(100));
            return new EvaluationCounts(Math.round(scripted.next() * 1000), 1000, 0.5);
        });
        return loop.fit(NetworkState.capture(trainer.newNetwork()));
    }

    @Test
    void targetAccuracyStopsAtTheFirstEvaluationThatReachesIt() {
        TrainingState state = run(List.of(0.5, 0.7, 0.91, 0.95, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99, 0.99,
                0.99, 0.99, 0.99, 0.99), List.of(new TargetAccuracyStop(0.9)));
        assertEquals(StopReason.TARGET_REACHED, state.stopReason().orElseThrow());
        assertEquals(3, state.evaluations().size());
        assertEquals(6, state.time().rounds());
        assertEquals(Duration.ofSeconds(60), state.time().elapsed(), "evaluation time is not training time");
    }

    @Test
    void plateauStopsAfterPatienceEvaluationsWithoutANewBest() {
        TrainingState state = run(List.of(0.5, 0.6, 0.6, 0.55, 0.58, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9,
                0.9, 0.9), List.of(new PlateauStop(3)));
        assertEquals(StopReason.PLATEAU, state.stopReason().orElseThrow());
        assertEquals(5, state.evaluations().size());
    }

    @Test
    void withoutRulesTheBudgetDecidesAndEvaluationsDoNotShortenIt() {
        List<Double> accuracies = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            accuracies.add(0.5);
        }
        TrainingState state = run(accuracies, List.of());
        assertEquals(StopReason.WALL_CLOCK, state.stopReason().orElseThrow());
        assertEquals(30, state.time().rounds(), "300 s of 10 s rounds, evaluations excluded");
        assertEquals(15, state.evaluations().size());
    }
}
