package io.efftrain.trainers.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.ScheduleType;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.pipeline.training.Event;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.RoundPlan;
import io.efftrain.trainers.model.InputShape;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The budget's promises over every limit x schedule x technique, with an injected clock (a round "takes" 10 s):
 * the learning rate is above zero from the first step of the warm-up on, no round before the end trains entirely
 * at rate zero, the annealing schedules reach zero where training ends, and training stops within one step or
 * 2 % of the limit, whichever is larger.
 */
class BudgetPromisesTest {
    /** 1000 examples on 2 workers at batch 50: 100 examples a step, 10 steps an epoch. */
    private static final int EXAMPLES = 1000;
    private static final int SAMPLES_PER_STEP = 100;
    private static final Duration ROUND = Duration.ofSeconds(10);

    enum Limit { WALL_CLOCK, STEPS, SAMPLES, FLOPS }

    enum Technique {
        NONE(), CURRICULUM("sampling.curriculum.pacing=linear"), INFOBATCH("sampling.infobatch.enabled=true"),
        SELECTIVE_BACKPROP("sampling.selective-backprop.enabled=true"), FREEZING("train.freezing.layers=1");

        final List<String> settings;

        Technique(String... settings) {
            this.settings = List.of(settings);
        }
    }

    static Stream<Arguments> everyCombination() {
        List<Arguments> all = new ArrayList<>();
        for (Limit limit : Limit.values()) {
            for (ScheduleType schedule : ScheduleType.values()) {
                for (Technique technique : Technique.values()) {
                    all.add(Arguments.of(limit, schedule, technique));
                }
            }
        }
        return all.stream();
    }

    private static List<String> base(ScheduleType schedule, Technique technique) {
        List<String> settings = new ArrayList<>(List.of("model.type=mlp", "model.mlp.hidden=[16]",
                "train.batch-size=50", "train.steps-per-round=4", "train.warmup=0.1",
                "train.schedule=" + schedule.name().toLowerCase(Locale.ROOT).replace('_', '-'),
                "train.budget.epochs=null", "train.budget.wall-clock=null"));
        settings.addAll(technique.settings);
        return settings;
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @MethodSource("everyCombination")
    void theBudgetKeepsItsPromises(Limit limit, ScheduleType schedule, Technique technique) {
        List<String> settings = base(schedule, technique);
        List<String> anyLimit = new ArrayList<>(settings);
        anyLimit.add("train.budget.steps=1");
        double flopsPerExample = new Trainer(ConfigLoader.load(null, anyLimit), new InputShape(1, 28, 28), 10)
                .flopsPerExample();
        double flopsLimit = 13.5 * SAMPLES_PER_STEP * flopsPerExample;
        settings.add(switch (limit) {
            case WALL_CLOCK -> "train.budget.wall-clock=60s";
            case STEPS -> "train.budget.steps=13";
            case SAMPLES -> "train.budget.samples=1270";
            case FLOPS -> "train.budget.flops=" + flopsLimit;
        });
        EfftrainConfig config = ConfigLoader.load(null, settings);
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        List<RoundPlan> plans = new ArrayList<>();
        TrainingState end = trainer.train(new LocalBlockSet(FashionMnist.split(FashionMnist.block(true, EXAMPLES), 2)),
                new ManualTicker(ROUND), List.of(), List.of((event, state) -> {
                    if (event == Event.ROUND_START) {
                        plans.add(state.plan());
                    }
                }));
        String where = limit + " " + schedule + " " + technique + ": ";

        assertTrue(plans.get(0).learningRates().rate(0) > 0, where + "the first step trains");
        for (RoundPlan plan : plans) {
            double highest = 0;
            for (long step = plan.firstStep(); step < plan.firstStep() + plan.steps(); step++) {
                highest = Math.max(highest, plan.learningRates().rate(step));
            }
            assertTrue(highest > 0, where + "the round from step " + plan.firstStep() + " trains at rate 0");
        }
        RoundPlan last = plans.get(plans.size() - 1);
        long steps = end.time().steps();
        if (schedule != ScheduleType.CONSTANT && schedule != ScheduleType.STEP) {
            assertEquals(steps, last.learningRates().totalSteps(), where + "the schedule ends where training does");
            assertEquals(0.0, last.learningRates().rate(steps), 1e-12, where + "annealed to zero at the end");
        }
        switch (limit) {
            case WALL_CLOCK -> assertEquals(Duration.ofSeconds(60), end.time().elapsed(), where);
            case STEPS -> assertEquals(13, steps, where);
            case SAMPLES -> assertTrue(end.time().samples() >= 1270 && end.time().samples() < 1270 + SAMPLES_PER_STEP,
                    where + end.time().samples() + " samples");
            case FLOPS -> {
                double step = SAMPLES_PER_STEP * flopsPerExample;
                assertTrue(end.time().flops() >= flopsLimit * (1 - 1e-9)
                        && end.time().flops() <= flopsLimit + Math.max(0.02 * flopsLimit, step),
                        where + end.time().flops() + " FLOPs for a limit of " + flopsLimit);
            }
        }
    }
}
