package io.efftrain.pipeline.config;

/**
 * What identifies a run.
 *
 * @param name used in the default run directory name
 * @param seed the single seed every random choice of the run derives from
 */
public record RunSettings(String name, long seed) {
    static RunSettings read(ConfigReader c) {
        return new RunSettings(c.string("name"), c.longValue("seed"));
    }
}
