package io.efftrain.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * A whole, validated run configuration: the typed view every stage reads, and the resolved HOCON it came from
 * (written into the run directory so the run can be repeated).
 */
public record EfftrainConfig(RunSettings run, DataSettings data, SamplingSettings sampling, ModelSettings model,
                             TrainSettings train, SparkSettings spark, IncubationSettings incubation,
                             TuneSettings tune,
                             Config resolved) {

    /** Builds the typed view of an already merged and resolved config; errors name the offending key. */
    public static EfftrainConfig of(Config resolved) {
        ConfigReader root = new ConfigReader(resolved);
        return new EfftrainConfig(RunSettings.read(root.at("run")), DataSettings.read(root.at("data")),
                SamplingSettings.read(root.at("sampling")), ModelSettings.read(root.at("model")), TrainSettings.read(root.at("train")),
                SparkSettings.read(root.at("spark")), IncubationSettings.read(root.at("incubation")),
                TuneSettings.read(root.at("tune")), resolved);
    }

    /**
     * The same run with another seed (a repetition: scoring proxies, tune trials). The resolved HOCON changes with
     * the typed view, so a derived config is written and repeated like a loaded one.
     */
    public EfftrainConfig withSeed(long seed, String why) {
        return of(resolved.withValue("run.seed", ConfigValueFactory.fromAnyRef(seed, why)));
    }

    /** The same run with {@code budget} as its only limits (an empty limit is switched off). */
    public EfftrainConfig withBudget(BudgetSettings budget, String why) {
        Config c = resolved
                .withValue("train.budget.epochs", value(budget.epochs(), why))
                .withValue("train.budget.steps", value(budget.steps(), why))
                .withValue("train.budget.samples", value(budget.samples(), why))
                .withValue("train.budget.wall-clock", ConfigValueFactory.fromAnyRef(
                        budget.wallClock().map(d -> d.toMillis() + "ms").orElse(null), why))
                .withValue("train.budget.flops", value(budget.flops(), why));
        return of(c);
    }

    /**
     * The same run without evaluation during training and so without the stopping rules that read it (target
     * accuracy, patience): training ends where the budget does.
     */
    public EfftrainConfig withoutEvaluationStops(String why) {
        ConfigValue none = ConfigValueFactory.fromAnyRef(null, why);
        return of(resolved.withValue("train.evaluation.every-epochs", none)
                .withValue("train.evaluation.target-accuracy", none)
                .withValue("train.evaluation.patience", none));
    }

    /** The same run with {@code workers} workers. */
    public EfftrainConfig withWorkers(int workers, String why) {
        return of(resolved.withValue("train.workers", ConfigValueFactory.fromAnyRef(workers, why)));
    }

    private static ConfigValue value(OptionalDouble v, String why) {
        return ConfigValueFactory.fromAnyRef(v.isPresent() ? v.getAsDouble() : null, why);
    }

    private static ConfigValue value(OptionalLong v, String why) {
        return ConfigValueFactory.fromAnyRef(v.isPresent() ? v.getAsLong() : null, why);
    }

    /** The resolved config as HOCON text, without origin comments; parsing it gives the same config back. */
    public String render() {
        return resolved.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }
}
