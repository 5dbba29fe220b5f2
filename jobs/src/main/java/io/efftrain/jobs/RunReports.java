package io.efftrain.jobs;

import io.efftrain.pipeline.config.EvaluationSplit;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.loop.EvaluationPoint;
import io.efftrain.trainers.loop.TrainingState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The contents of a run's summary.json: what happened. */
public final class RunReports {
    private RunReports() {
    }

    static Map<String, Object> summary(TrainingState trained, EvaluationSplit evaluated, EvaluationCounts evaluation,
                                       Map<String, Double> stages, double total, int workers) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("test_accuracy", evaluation.accuracy());
        out.put("test_loss", evaluation.meanLoss());
        out.put("test_examples", evaluation.examples());
        out.put("total_seconds", total);
        out.put("stages", stages);
        out.put("training", training(trained, evaluated, workers));
        return out;
    }

    /**
     * summary.json's {@code training} section: rounds, steps, samples, epochs, seconds, samples/s, FLOPs, the
     * workers' time, the stop reason, the evaluation curve and the time to each accuracy target.
     */
    public static Map<String, Object> training(TrainingState trained, EvaluationSplit evaluated, int workers) {
        var time = trained.time();
        double trainSeconds = time.elapsed().toNanos() / 1e9;
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("workers", workers);
        training.put("rounds", time.rounds());
        training.put("steps", time.steps());
        training.put("samples", time.samples());
        training.put("epochs", time.epochs());
        training.put("seconds", trainSeconds);
        training.put("samples_per_s", trainSeconds > 0 ? time.samples() / trainSeconds : 0);
        training.put("estimated_flops", time.flops());
        // Whether the workers had their cores: below about 0.9 other threads or processes took a real share of
        // them, and samples/s says more about the machine than about the recipe (WorkerTime).
        training.putAll(trained.workerTime().reportFields(trained.roundsWallNanos()));
        training.put("stop_reason", trained.stopReason().map(Enum::name).orElse(null));
        training.put("final_loss", trained.lastRound() == null ? null : trained.lastRound().meanLoss());
        // The curve, seconds_to_accuracy and the stop reason follow this split; test_accuracy is always test.
        training.put("evaluation_split", evaluated.tableName());
        training.put("evaluations", evaluations(trained));
        Map<String, Object> secondsTo = new LinkedHashMap<>();
        for (String target : List.of("0.88", "0.90", "0.91", "0.915", "0.92")) {
            secondsTo.put(target, trained.evaluations().stream()
                    .filter(p -> p.accuracy() >= Double.parseDouble(target)).findFirst()
                    .map(p -> (Object) (p.time().elapsed().toNanos() / 1e9)).orElse(null));
        }
        training.put("seconds_to_accuracy", secondsTo);
        return training;
    }

    /** The evaluations during training, as summary.json writes them: the accuracy curve. */
    static List<Map<String, Object>> evaluations(TrainingState trained) {
        List<Map<String, Object>> evaluations = new ArrayList<>();
        for (EvaluationPoint point : trained.evaluations()) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("epoch", point.time().epochs());
            p.put("step", point.time().steps());
            p.put("elapsed_s", point.time().elapsed().toNanos() / 1e9);
            p.put("accuracy", point.accuracy());
            p.put("examples", point.counts().examples());
            p.put("loss", point.loss());
            evaluations.add(p);
        }
        return evaluations;
    }
}
