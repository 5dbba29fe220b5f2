package io.efftrain.pipeline.config;

import java.util.OptionalDouble;

/**
 * Deep Incubation (Ni et al., 2022): the target model ({@code model.*}) is trained as K modules, one per stage.
 * Phase 1 trains a small meta model end to end, phase 2 trains each target stage inside the meta model on its own
 * (K independent tasks), phase 3 assembles the trained stages into the target and fine-tunes it end to end.
 *
 * @param enabled whether {@code run} trains by incubation instead of end to end ({@code incubate} always does)
 * @param metaBlocksPerStage blocks per stage of the meta model (the target has its model's own count)
 * @param meta phase 1: the meta model's training
 * @param modules phase 2: each module's training (every module gets this budget)
 * @param parallelModules run the module tasks at once on the available task slots, not one after another
 * @param moduleAttempts how many times a module task is started before the run fails (each retry resumes from
 *     that module's checkpoint)
 * @param moduleCheckpointEveryRounds rounds of train.steps-per-round steps between module checkpoints
 * @param fineTune phase 3: the assembled model's end-to-end fine-tuning
 */
public record IncubationSettings(boolean enabled, int metaBlocksPerStage, PhaseSettings meta, PhaseSettings modules,
                                 boolean parallelModules, int moduleAttempts, int moduleCheckpointEveryRounds,
                                 PhaseSettings fineTune) {
    static IncubationSettings read(ConfigReader c) {
        ConfigReader modules = c.at("modules");
        int attempts = modules.positiveInt("attempts");
        if (attempts > 100) {
            throw modules.invalid("attempts", "at most 100", String.valueOf(attempts));
        }
        return new IncubationSettings(c.bool("enabled"), c.at("meta").positiveInt("blocks-per-stage"),
                PhaseSettings.read(c.at("meta")), PhaseSettings.read(modules), modules.bool("parallel"), attempts,
                modules.positiveInt("checkpoint-every-rounds"), PhaseSettings.read(c.at("fine-tune")));
    }

    /**
     * One phase's own training limits; everything else (optimizer type, schedule, batch size, workers) is train.*.
     *
     * @param learningRate the phase's peak learning rate, or train.optimizer.learning-rate when empty
     * @param budget when the phase stops
     */
    public record PhaseSettings(OptionalDouble learningRate, BudgetSettings budget) {
        static PhaseSettings read(ConfigReader c) {
            return new PhaseSettings(c.optionalPositiveDouble("learning-rate"), BudgetSettings.read(c.at("budget")));
        }
    }
}
