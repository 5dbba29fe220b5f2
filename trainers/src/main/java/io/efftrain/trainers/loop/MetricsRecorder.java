package io.efftrain.trainers.loop;

import io.efftrain.pipeline.run.MetricsLog;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingCallback;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes one metrics line per averaging round: time, counts, mean loss and each step's loss, learning rate, and
 * the workers' share of the CPU.
 */
public final class MetricsRecorder implements TrainingCallback<TrainingState> {
    private final MetricsLog log;

    public MetricsRecorder(MetricsLog log) {
        this.log = log;
    }

    @Override
    public void on(Event event, TrainingState state) {
        if (event != Event.ROUND_END) {
            return;
        }
        var time = state.time();
        Map<String, Object> record = new LinkedHashMap<>();
        record.put("round", time.rounds());
        record.put("elapsed_s", time.elapsed().toNanos() / 1e9);
        record.put("step", time.steps());
        record.put("samples", time.samples());
        record.put("epoch", time.epochs());
        record.put("loss", state.lastRound().meanLoss());
        // Every step's loss, so a short run with few averaging rounds still draws a loss curve.
        record.put("step_losses", state.lastRound().stepLosses());
        record.put("learning_rate", state.plan().learningRates().rate(state.plan().firstStep()));
        record.put("budget_used", state.budgetUsed());
        record.put("flops", time.flops());
        // The round's own figures, so a slow round shows whether the workers had their cores (see WorkerTime).
        record.putAll(state.lastRound().workerTime().reportFields(state.lastRoundWallNanos()));
        log.append(record);
    }
}
