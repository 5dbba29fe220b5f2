package io.efftrain.pipeline.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;

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

    /** The resolved config as HOCON text, without origin comments; parsing it gives the same config back. */
    public String render() {
        return resolved.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }
}
