package io.efftrain.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;
import java.util.Set;

/**
 * {@code efftrain tune}: a budgeted search over a declared space of config values. Trials are judged on the
 * validation split, never on the test split.
 *
 * @param method how the budget is spread over the trials
 * @param eta each rung keeps the best 1/eta of its trials and gives them eta times the budget
 * @param trials starting trials, or empty for as many as the budget allows
 * @param budget the total training of all trials, in multiples of one full training (train.budget)
 * @param validation the fraction of the training data held out as the validation split (it becomes
 *     data.split.validation in every trial and in best.conf), or empty to keep data.split.validation
 * @param space the search space, one dimension per key
 */
public record TuneSettings(TuneMethod method, int eta, OptionalInt trials, double budget, OptionalDouble validation,
                           List<TuneDimension> space) {
    /**
     * Keys a trial may vary. Data keys would need a table per trial; budget, evaluation and worker keys are what
     * tune itself sets.
     */
    private static final List<String> TUNABLE = List.of("train.", "model.", "sampling.infobatch.",
            "sampling.selective-backprop.");
    private static final List<String> NOT_TUNABLE = List.of("train.budget.", "train.evaluation.", "train.workers",
            "train.checkpoint-every-rounds", "train.progress-interval");
    /** Grid points of one log-uniform range at most: a space is a grid, and each point may become a trial. */
    private static final int MAX_SAMPLES = 1000;

    public TuneSettings {
        space = List.copyOf(space);
    }

    static TuneSettings read(ConfigReader c) {
        int eta = c.positiveInt("eta");
        if (eta < 2) {
            throw c.invalid("eta", "a whole number of at least 2 (each rung keeps 1/eta of the trials)",
                    String.valueOf(eta));
        }
        OptionalInt trials = c.has("trials") ? OptionalInt.of(c.positiveInt("trials")) : OptionalInt.empty();
        double budget = c.positiveDouble("budget");
        if (budget < 1) {
            throw c.invalid("budget", "at least 1 (the winning trial alone trains one full training)",
                    String.valueOf(budget));
        }
        OptionalDouble validation = OptionalDouble.empty();
        if (c.has("validation")) {
            double v = c.fraction("validation");
            if (v <= 0) {
                throw c.invalid("validation", "a fraction above 0 (trials are judged on the validation split), or "
                        + "null to keep data.split.validation", String.valueOf(v));
            }
            validation = OptionalDouble.of(v);
        }
        List<TuneDimension> space = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<ConfigReader> dimensions = c.objects("space");
        for (ConfigReader d : dimensions) {
            TuneDimension dimension = dimension(d);
            if (!seen.add(dimension.key())) {
                throw d.invalid("key", "a key no other dimension of tune.space names", dimension.key());
            }
            space.add(dimension);
        }
        return new TuneSettings(c.choice("method", TuneMethod.class), eta, trials, budget, validation, space);
    }

    private static TuneDimension dimension(ConfigReader d) {
        for (String field : d.keys()) {
            if (!List.of("key", "values", "log-uniform", "samples").contains(field)) {
                throw d.invalid(field, "absent: a dimension has key and either values = [...] or log-uniform = "
                        + "[low, high] with samples = N", "set");
            }
        }
        String key = d.string("key");
        checkKey(d, key);
        boolean listed = d.has("values");
        boolean range = d.has("log-uniform");
        if (listed == range) {
            throw d.invalid(listed ? "log-uniform" : "values", "exactly one of values = [...] and log-uniform = "
                    + "[low, high] (with samples = N)", listed ? "set together with values" : "missing");
        }
        if (listed) {
            if (d.has("samples")) {
                throw d.invalid("samples", "absent with values = [...] (it counts a log-uniform range's points)",
                        "set");
            }
            List<ConfigValue> values = d.values("values");
            if (values.isEmpty()) {
                throw d.invalid("values", "a non-empty list of the values trials may give " + key, "[]");
            }
            return new TuneDimension(key, values, d.path());
        }
        return new TuneDimension(key, logUniform(d), d.path());
    }

    /** {@code samples} points from low to high, evenly spaced on a log scale; whole numbers if both ends are. */
    private static List<ConfigValue> logUniform(ConfigReader d) {
        List<ConfigValue> ends = d.values("log-uniform");
        if (ends.size() != 2 || ends.stream().anyMatch(v -> v.valueType() != ConfigValueType.NUMBER)) {
            throw d.invalid("log-uniform", "two numbers [low, high]", String.valueOf(ends.stream()
                    .map(ConfigValue::render).toList()));
        }
        double low = ((Number) ends.get(0).unwrapped()).doubleValue();
        double high = ((Number) ends.get(1).unwrapped()).doubleValue();
        if (!(low > 0 && high > low) || Double.isInfinite(high)) {
            throw d.invalid("log-uniform", "two finite numbers with 0 < low < high", "[" + low + ", " + high + "]");
        }
        if (!d.has("samples")) {
            throw d.invalid("samples", "the number of grid points of the log-uniform range (at least 2)", "missing");
        }
        int samples = d.positiveInt("samples");
        if (samples < 2 || samples > MAX_SAMPLES) {
            throw d.invalid("samples", "from 2 to " + MAX_SAMPLES, String.valueOf(samples));
        }
        boolean whole = ends.stream().allMatch(v -> v.unwrapped() instanceof Integer || v.unwrapped() instanceof Long);
        List<ConfigValue> out = new ArrayList<>();
        Set<Object> seen = new HashSet<>();
        for (int i = 0; i < samples; i++) {
            double value = Math.exp(Math.log(low) + (Math.log(high) - Math.log(low)) * i / (samples - 1));
            Object point = whole ? wholeNumber(Math.round(value)) : (Object) roundTo4Digits(value);
            if (seen.add(point)) {
                out.add(ConfigValueFactory.fromAnyRef(point, d.path() + ".log-uniform"));
            }
        }
        return out;
    }

    /** An int where it fits, as HOCON reads a whole number a person typed. */
    private static Object wholeNumber(long value) {
        return value <= Integer.MAX_VALUE ? (Object) (int) value : (Object) value;
    }

    /** Four significant digits: a grid point is a recipe a person reads and types again. */
    private static double roundTo4Digits(double value) {
        return new java.math.BigDecimal(value).round(new java.math.MathContext(4)).doubleValue();
    }

    private static void checkKey(ConfigReader d, String key) {
        Config defaults = ConfigLoader.defaults();
        if (!defaults.hasPathOrNull(key)) {
            throw io.efftrain.pipeline.error.EfftrainException.badConfig(String.format(
                    "%s: %s.key: unknown key '%s'.%s `bin/efftrain defaults` lists every key.", d.origin(), d.path(),
                    key, ConfigLoader.suggestion(key, ConfigReader.leafKeys(defaults))));
        }
        boolean tunable = TUNABLE.stream().anyMatch(key::startsWith)
                && NOT_TUNABLE.stream().noneMatch(key::startsWith);
        if (!tunable) {
            throw d.invalid("key", "a key under " + String.join(", ", TUNABLE) + " (but not " + String.join(", ",
                    NOT_TUNABLE) + ": tune sets those itself, and data keys would need a table per trial)", key);
        }
        if (defaults.getIsNull(key) ? false : defaults.getValue(key).valueType() == ConfigValueType.OBJECT) {
            throw d.invalid("key", "a single setting, not a section (name one of its keys, e.g. " + key + "."
                    + defaults.getObject(key).keySet().iterator().next() + ")", key);
        }
    }

    /** The number of distinct trials the space holds (its grid's size), saturating at Integer.MAX_VALUE. */
    public long gridSize() {
        long size = 1;
        for (TuneDimension d : space) {
            size = Math.min(Integer.MAX_VALUE, size * d.values().size());
        }
        return size;
    }
}
