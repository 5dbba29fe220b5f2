package io.efftrain.jobs.ml;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.error.EfftrainException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The efftrain config a classifier trains with: efftrain's defaults, then the typed params as {@code key=value}
 * overrides, then {@code configOverrides}. Overrides may not set a key a typed param owns (two places for one
 * setting would make a grid search over the param silently lose to a forgotten override), nor keys that mean
 * nothing to {@code fit} (data sources, run directories, the held-out evaluation of {@code run}): those fail here,
 * before any data is read, instead of being ignored.
 */
final class TrainingConfig {
    /** Config keys set by typed params, and the param that sets each. */
    static final Map<String, String> OWNED = new LinkedHashMap<>();
    /** Key prefixes that fit does not use, and why. */
    private static final Map<String, String> REFUSED = new LinkedHashMap<>();

    static {
        OWNED.put("model.type", "modelType");
        OWNED.put("model.mlp.hidden", "hiddenLayers");
        OWNED.put("model.layers", "layers");
        OWNED.put("train.budget.epochs", "maxEpochs");
        OWNED.put("train.budget.wall-clock", "maxTrainingSeconds");
        OWNED.put("train.batch-size", "batchSize");
        OWNED.put("train.optimizer.learning-rate", "learningRate");
        OWNED.put("train.optimizer.type", "optimizer");
        OWNED.put("train.schedule", "schedule");
        OWNED.put("train.workers", "workers");
        OWNED.put("run.seed", "seed");
        OWNED.put("data.normalization", "normalization");
        OWNED.put("data.shape", "imageRows, imageCols and imageChannels");
        OWNED.put("model.task", "choice of estimator (EfftrainClassifier or EfftrainRegressor)");
        OWNED.put("model.regression", "loss and huberDelta (EfftrainRegressor)");
        REFUSED.put("train.evaluation.", "fit trains on the whole DataFrame and holds nothing out; evaluate the "
                + "model's transform output (MulticlassClassificationEvaluator, CrossValidator, "
                + "TrainValidationSplit) instead");
        REFUSED.put("train.checkpoint-every-rounds", "fit writes no checkpoints (it has no run directory)");
        REFUSED.put("run.", "fit writes no run directory");
        REFUSED.put("data.", "fit reads the DataFrame it is given, not a configured source");
        REFUSED.put("spark.", "fit runs in the DataFrame's own Spark session, as it is");
        REFUSED.put("incubation.", "Deep Incubation runs as its own job (bin/efftrain incubate)");
        REFUSED.put("sampling.infobatch.", null);
        REFUSED.put("sampling.selective-backprop.", null);
        REFUSED.put("sampling.", "this data-centric stage needs scores from efftrain's score job on a prepared "
                + "table; only sampling.infobatch.* and sampling.selective-backprop.* act inside fit");
    }

    private TrainingConfig() {
    }

    /**
     * Resolves the config.
     *
     * @param typed the typed params as {@code key=value} overrides (keys of {@link #OWNED})
     * @param overrides the user's {@code configOverrides}
     */
    static EfftrainConfig resolve(List<String> typed, List<String> overrides) {
        try {
            // Alone first, so an unknown key or bad value gets efftrain's own message about that entry.
            ConfigLoader.load(null, overrides);
        } catch (EfftrainException e) {
            throw new EfftrainException(e.exitCode(), "configOverrides: " + e.getMessage()
                    .replace("--set ", "entry ").replace("`bin/efftrain defaults` lists every key",
                            "`bin/efftrain defaults` (or ConfigLoader.defaults()) lists every key"), e);
        }
        for (String override : overrides) {
            for (String key : keys(override)) {
                check(override, key);
            }
        }
        List<String> all = new ArrayList<>(typed);
        all.addAll(overrides);
        try {
            return ConfigLoader.load(null, all);
        } catch (EfftrainException e) {
            throw new EfftrainException(e.exitCode(), "params: " + e.getMessage(), e);
        }
    }

    private static void check(String override, String key) {
        for (Map.Entry<String, String> owned : OWNED.entrySet()) {
            if (key.equals(owned.getKey()) || key.startsWith(owned.getKey() + ".")) {
                throw EfftrainException.badConfig("configOverrides entry '" + override + "': " + owned.getKey()
                        + " is set by the param " + owned.getValue() + "; set that param instead (one place for "
                        + "each setting, so a param grid cannot be overruled by an override).");
            }
        }
        for (Map.Entry<String, String> refused : REFUSED.entrySet()) {
            String prefix = refused.getKey();
            if (key.equals(prefix) || key.startsWith(prefix)) {
                if (refused.getValue() == null) {
                    return;
                }
                throw EfftrainException.badConfig("configOverrides entry '" + override + "': " + key
                        + " has no effect in fit: " + refused.getValue() + ".");
            }
        }
    }

    /** The leaf keys an override sets: its key, or every key inside an object value ({@code train.budget={...}}). */
    private static List<String> keys(String override) {
        int eq = override.indexOf('=');
        String key = override.substring(0, eq).trim();
        String value = override.substring(eq + 1).trim();
        List<String> out = new ArrayList<>();
        if (!value.startsWith("{")) {
            out.add(key);
            return out;
        }
        Config parsed = ConfigFactory.parseString(key + " = " + value);
        collect(parsed.root(), new ArrayList<>(), out);
        return out;
    }

    private static void collect(ConfigObject object, List<String> path, List<String> out) {
        for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
            path.add(e.getKey());
            if (e.getValue() instanceof ConfigObject child && !child.isEmpty()) {
                collect(child, path, out);
            } else {
                out.add(ConfigUtil.joinPath(path));
            }
            path.remove(path.size() - 1);
        }
    }
}
