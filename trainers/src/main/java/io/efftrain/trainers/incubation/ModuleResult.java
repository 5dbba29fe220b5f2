package io.efftrain.trainers.incubation;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a module task returns to the driver (its trained stage stays in the module's directory).
 *
 * @param module the stage index
 * @param attempts how many times the task was started, this one included
 * @param resumedFromStep the checkpoint step this attempt started from (0 for a fresh start)
 * @param steps optimisation steps taken in total
 * @param samples examples processed in total
 * @param epochs passes over the data
 * @param trainingSeconds training time, carried over checkpoints (time lost to a failed attempt after its last
 *     checkpoint is not counted)
 * @param attemptSeconds wall time of the attempt that finished, from task start (data loading included)
 * @param finalLoss mean minibatch loss of the last round
 * @param stopReason which budget limit ended the module
 * @param parameters trained parameters of the stage
 */
public record ModuleResult(int module, int attempts, long resumedFromStep, long steps, long samples, double epochs,
                           double trainingSeconds, double attemptSeconds, double finalLoss, String stopReason,
                           long parameters) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** As a JSON-ready map (summary.json and the module's result.json). */
    public Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("module", module);
        out.put("attempts", attempts);
        out.put("resumed_from_step", resumedFromStep);
        out.put("steps", steps);
        out.put("samples", samples);
        out.put("epochs", epochs);
        out.put("seconds", trainingSeconds);
        out.put("attempt_seconds", attemptSeconds);
        out.put("final_loss", finalLoss);
        out.put("stop_reason", stopReason);
        out.put("parameters", parameters);
        return out;
    }
}
