package io.efftrain.jobs;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import io.efftrain.pipeline.config.BudgetSettings;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.TuneDimension;
import io.efftrain.pipeline.config.TuneSettings;
import io.efftrain.pipeline.error.EfftrainException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The configs of a tune's trials, derived from the tune's own config: the starting trials' values drawn from the
 * space, and each trial's config on a share of the budget. Every trial config is a complete, validated run config,
 * so a trial trains exactly as {@code run} would train it.
 */
final class TuneTrials {
    private TuneTrials() {
    }

    /**
     * The config all trials start from: data.split.validation from tune.validation, evaluations on the validation
     * split, and every value of the space checked against the config (a bad value is a config error naming its
     * dimension before anything trains).
     */
    static EfftrainConfig base(EfftrainConfig loaded) {
        TuneSettings tune = loaded.tune();
        Config resolved = loaded.resolved();
        if (tune.validation().isPresent()) {
            resolved = resolved.withValue("data.split.validation",
                    ConfigValueFactory.fromAnyRef(tune.validation().getAsDouble(), "tune.validation"));
        } else if (!(loaded.data().split().validation() > 0)) {
            throw EfftrainException.badConfig("tune.validation = null and data.split.validation = 0: tune judges "
                    + "trials on the validation split, so one of them must hold examples out (e.g. "
                    + "--set tune.validation=0.1).");
        }
        resolved = resolved.withValue("train.evaluation.split", ConfigValueFactory.fromAnyRef("validation", "tune"));
        EfftrainConfig base = EfftrainConfig.of(resolved);
        BudgetSettings budget = base.train().budget();
        if (budget.epochs().isEmpty() && budget.steps().isEmpty() && budget.samples().isEmpty()
                && budget.flops().isEmpty()) {
            throw EfftrainException.badConfig("tune splits train.budget into rungs, which needs train.budget.epochs, "
                    + "steps, samples or flops; a wall-clock limit alone would make each trial depend on the "
                    + "machine's speed. Set e.g. --set train.budget.epochs=6.");
        }
        for (TuneDimension d : tune.space()) {
            for (ConfigValue value : d.values()) {
                try {
                    EfftrainConfig.of(resolved.withValue(d.key(), value));
                } catch (EfftrainException e) {
                    throw EfftrainException.badConfig(d.where() + ": the value " + value.render() + " for "
                            + d.key() + " is not valid: " + e.getMessage());
                }
            }
        }
        return base;
    }

    /**
     * {@code count} distinct points of the space (fewer if it holds fewer), drawn with {@code seed}; each is the
     * values its trial gives the space's keys, in the space's order.
     */
    static List<Map<String, ConfigValue>> draw(List<TuneDimension> space, int count, long seed) {
        long grid = 1;
        for (TuneDimension d : space) {
            grid = Math.multiplyExact(grid, d.values().size());
        }
        Random random = new Random(seed);
        Set<Long> points = new LinkedHashSet<>();
        while (points.size() < Math.min(count, grid)) {
            points.add(Math.floorMod(random.nextLong(), grid));
        }
        List<Map<String, ConfigValue>> trials = new ArrayList<>();
        for (long point : points) {
            Map<String, ConfigValue> values = new LinkedHashMap<>();
            long rest = point;
            for (TuneDimension d : space) {
                values.put(d.key(), d.values().get((int) (rest % d.values().size())));
                rest /= d.values().size();
            }
            trials.add(values);
        }
        return trials;
    }

    /**
     * A trial's config: the base with the trial's values, {@code fraction} of the budget and {@code workers}
     * workers. The wall-clock limit is off in trials (a trial on one task runs at another speed than the same
     * config on all cores, and must stop at the same point); {@link #best} puts it back.
     */
    static EfftrainConfig trial(EfftrainConfig base, Map<String, ConfigValue> values, double fraction, int workers) {
        Config c = base.resolved();
        for (Map.Entry<String, ConfigValue> e : values.entrySet()) {
            c = c.withValue(e.getKey(), e.getValue());
        }
        return EfftrainConfig.of(c)
                .withBudget(base.train().budget().scaledWithoutWallClock(fraction),
                        "tune: " + fraction + " of train.budget")
                .withWorkers(workers, "tune: the trials' workers");
    }

    /** The winner's full training as {@code run} runs it: its last-rung config with the base's wall-clock limit. */
    static EfftrainConfig best(EfftrainConfig base, Map<String, ConfigValue> values, int workers) {
        return trial(base, values, 1.0, workers).withBudget(base.train().budget(), "tune: the winner's full budget");
    }
}
