package io.efftrain.jobs;

import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.incubation.ModuleResult;
import io.efftrain.trainers.loop.EvaluationPoint;
import io.efftrain.trainers.loop.TrainingState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code incubation} entry of an incubated run's summary.json: each phase's and each module's time, the
 * assembled model's accuracy before and after fine-tuning, and accuracy against time for comparisons with
 * end-to-end runs.
 */
final class IncubationReport {
    private IncubationReport() {
    }

    /**
     * @param meta phase 1's entry (parameters, seconds, steps, test_accuracy, ...)
     * @param stages wall seconds per stage of the job (meta, modules, fine_tune among them)
     */
    static Map<String, Object> of(EfftrainConfig config, long targetParameters, Map<String, Object> meta,
                                  List<ModuleResult> modules, Map<String, Double> stages, EvaluationCounts before,
                                  EvaluationCounts after, TrainingState tuned) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("modules_k", modules.size());
        out.put("target_parameters", targetParameters);
        Map<String, Object> phases = new LinkedHashMap<>();
        phases.put("meta", stages.get("meta"));
        phases.put("modules", stages.get("modules"));
        phases.put("assemble", stages.get("assemble"));
        phases.put("fine_tune", stages.get("fine_tune"));
        out.put("phase_seconds", phases);
        out.put("meta", meta);

        Map<String, Object> phase2 = new LinkedHashMap<>();
        phase2.put("parallel", config.incubation().parallelModules());
        phase2.put("wall_seconds", stages.get("modules"));
        phase2.put("sum_of_module_seconds", modules.stream().mapToDouble(ModuleResult::trainingSeconds).sum());
        phase2.put("tasks", modules.stream().map(ModuleResult::toMap).toList());
        out.put("modules", phase2);

        double fineSeconds = tuned.time().elapsed().toNanos() / 1e9;
        Map<String, Object> fine = new LinkedHashMap<>();
        fine.put("seconds", fineSeconds);
        fine.put("steps", tuned.time().steps());
        fine.put("epochs", tuned.time().epochs());
        fine.put("stop_reason", tuned.stopReason().map(Enum::name).orElse(null));
        fine.put("accuracy_before", before.accuracy());
        fine.put("accuracy_after", after.accuracy());
        out.put("fine_tune", fine);

        // The clock of the series: phase 1's and phase 3's training time (evaluations excluded, as in the
        // evaluations of an end-to-end run), plus phase 2's wall time, which is what the parallel phase costs.
        double offset = ((Number) meta.get("seconds")).doubleValue() + stages.get("modules");
        List<Map<String, Object>> series = new ArrayList<>();
        series.add(point("assembled", offset, before.accuracy()));
        for (EvaluationPoint p : tuned.evaluations()) {
            series.add(point("fine_tune", offset + p.time().elapsed().toNanos() / 1e9, p.accuracy()));
        }
        if (tuned.evaluationOfCurrentModel().isEmpty()) {
            series.add(point("final", offset + fineSeconds, after.accuracy()));
        }
        out.put("accuracy_vs_time", series);
        out.put("total_training_seconds", offset + fineSeconds);
        return out;
    }

    private static Map<String, Object> point(String phase, double seconds, double accuracy) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("phase", phase);
        p.put("elapsed_s", seconds);
        p.put("accuracy", accuracy);
        return p;
    }
}
