package io.efftrain.pipeline.config;

import java.util.OptionalDouble;
import java.util.OptionalLong;

/**
 * Evaluation during training, and the stopping rules that read it. The metric is accuracy (higher is better).
 *
 * @param split the held-out split the evaluations during training read
 * @param everyEpochs evaluate every this many epochs (fractions allowed), or only after training when empty
 * @param targetAccuracy stop as soon as an evaluation reaches this accuracy
 * @param patience stop after this many evaluations in a row without a new best accuracy
 */
public record EvaluationSettings(EvaluationSplit split, OptionalDouble everyEpochs, OptionalDouble targetAccuracy, OptionalLong patience) {
    static EvaluationSettings read(ConfigReader c) {
        OptionalDouble target = c.optionalPositiveDouble("target-accuracy");
        if (target.isPresent() && target.getAsDouble() > 1) {
            throw c.invalid("target-accuracy", "an accuracy in (0, 1], or null", String.valueOf(target.getAsDouble()));
        }
        EvaluationSettings settings = new EvaluationSettings(c.choice("split", EvaluationSplit.class),
                c.optionalPositiveDouble("every-epochs"), target,
                c.optionalPositiveLong("patience"));
        if (settings.everyEpochs().isEmpty() && (target.isPresent() || settings.patience().isPresent())) {
            throw c.invalid("every-epochs", "set when target-accuracy or patience is set (they read its evaluations)",
                    "null");
        }
        return settings;
    }
}
