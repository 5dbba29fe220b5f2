package io.efftrain.jobs;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one trial on one rung measured, sent back to the driver.
 *
 * @param trial the trial's number
 * @param rung the rung
 * @param validationAccuracy the trained model's accuracy on the validation split (what trials are judged on); NaN
 *     for a trial that diverged
 * @param validationLoss its mean loss there
 * @param testAccuracy the test accuracy when the trial was asked to measure it, else null
 * @param trainingSeconds training time (the budget clock)
 * @param wallSeconds the trial from start to end, loading and evaluation included
 * @param epochs epochs trained
 * @param samples examples trained
 * @param stopReason why training stopped, or null
 * @param diverged the divergence message of a trial whose loss blew up, else null
 * @param placement "task" (the trial trained alone on one Spark task) or "workers" (on the workers, as run does)
 * @param lossCurve epoch and mean loss of each round
 * @param evaluations epoch, seconds and accuracy of each validation evaluation during training
 */
record TuneTrialResult(int trial, int rung, double validationAccuracy, double validationLoss, Double testAccuracy,
                       double trainingSeconds, double wallSeconds, double epochs, long samples, String stopReason,
                       String diverged, String placement, List<double[]> lossCurve, List<double[]> evaluations)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Better first: higher validation accuracy, then lower validation loss, then the earlier trial. */
    static int better(TuneTrialResult a, TuneTrialResult b) {
        double accA = Double.isNaN(a.validationAccuracy) ? -1 : a.validationAccuracy;
        double accB = Double.isNaN(b.validationAccuracy) ? -1 : b.validationAccuracy;
        if (accA != accB) {
            return Double.compare(accB, accA);
        }
        double lossA = Double.isNaN(a.validationLoss) ? Double.MAX_VALUE : a.validationLoss;
        double lossB = Double.isNaN(b.validationLoss) ? Double.MAX_VALUE : b.validationLoss;
        if (lossA != lossB) {
            return Double.compare(lossA, lossB);
        }
        return Integer.compare(a.trial, b.trial);
    }

    /** The fields of trials.jsonl that this result fills. */
    Map<String, Object> toMap() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("validation_accuracy", Double.isNaN(validationAccuracy) ? null : validationAccuracy);
        out.put("validation_loss", Double.isNaN(validationLoss) ? null : validationLoss);
        out.put("training_seconds", trainingSeconds);
        out.put("wall_seconds", wallSeconds);
        out.put("epochs", epochs);
        out.put("samples", samples);
        out.put("stop_reason", stopReason);
        out.put("diverged", diverged);
        out.put("placement", placement);
        List<Map<String, Object>> loss = new ArrayList<>();
        for (double[] p : lossCurve) {
            loss.add(point("epoch", p[0], "loss", p[1]));
        }
        out.put("loss_curve", loss);
        List<Map<String, Object>> evals = new ArrayList<>();
        for (double[] p : evaluations) {
            Map<String, Object> e = point("epoch", p[0], "elapsed_s", p[1]);
            e.put("accuracy", p[2]);
            evals.add(e);
        }
        out.put("validation_curve", evals);
        return out;
    }

    private static Map<String, Object> point(String xName, double x, String yName, double y) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(xName, x);
        p.put(yName, y);
        return p;
    }
}
