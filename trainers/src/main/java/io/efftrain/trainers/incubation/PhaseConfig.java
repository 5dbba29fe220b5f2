package io.efftrain.trainers.incubation;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueFactory;
import io.efftrain.pipeline.config.EfftrainConfig;

/**
 * The config a phase trains with: the run's config with train.budget and train.optimizer.learning-rate replaced
 * by the phase's own (incubation.&lt;phase&gt;.*), checked like any other config. Derived from the resolved HOCON,
 * so the phases reuse the trainer unchanged.
 */
public final class PhaseConfig {
    /** Phase 1. */
    public static final String META = "meta";
    /** Phase 2. */
    public static final String MODULES = "modules";
    /** Phase 3. */
    public static final String FINE_TUNE = "fine-tune";

    private PhaseConfig() {
    }

    /** The config of {@code phase} (one of {@link #META}, {@link #MODULES}, {@link #FINE_TUNE}). */
    public static EfftrainConfig of(EfftrainConfig config, String phase) {
        String path = "incubation." + phase;
        Config resolved = config.resolved().withValue("train.budget", config.resolved().getValue(path + ".budget"));
        if (!config.resolved().getIsNull(path + ".learning-rate")) {
            resolved = resolved.withValue("train.optimizer.learning-rate",
                    ConfigValueFactory.fromAnyRef(config.resolved().getDouble(path + ".learning-rate")));
        }
        return EfftrainConfig.of(resolved);
    }
}
