package io.efftrain.trainers.loop;

import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingCallback;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * Prints a progress line (budget used, ETA, epoch, loss, learning rate, throughput) at most once per interval,
 * and always at the end, so a user watching a terminal or a scheduler's log sees training move.
 */
public final class ProgressPrinter implements TrainingCallback<TrainingState> {
    private final PrintStream out;
    private final Ticker ticker;
    private final long intervalNanos;
    private long lastPrinted = Long.MIN_VALUE;

    public ProgressPrinter(PrintStream out, Ticker ticker, Duration interval) {
        this.out = out;
        this.ticker = ticker;
        this.intervalNanos = interval.toNanos();
    }

    @Override
    public void on(Event event, TrainingState state) {
        if (event == Event.ROUND_END) {
            long now = ticker.nanos();
            if (lastPrinted == Long.MIN_VALUE || now - lastPrinted >= intervalNanos) {
                lastPrinted = now;
                out.println(line(state));
            }
        } else if (event == Event.EVAL_END) {
            state.lastEvaluation().ifPresent(e -> out.printf(Locale.ROOT,
                    "[eval]  epoch %.2f  elapsed %s  accuracy %.4f  loss %.4f%n", e.time().epochs(),
                    format(e.time().elapsed()), e.accuracy(), e.loss()));
        } else if (event == Event.FIT_END) {
            out.println(line(state) + "  stopped: " + state.stopReason().map(Enum::name).orElse("?").toLowerCase(Locale.ROOT));
        }
    }

    /** One progress line. */
    static String line(TrainingState state) {
        var time = state.time();
        double used = Math.min(1, state.budgetUsed());
        double seconds = time.elapsed().toNanos() / 1e9;
        String eta = used > 0 ? format(Duration.ofMillis((long) (seconds * (1 - used) / used * 1000))) : "?";
        double loss = state.lastRound() == null ? Double.NaN : state.lastRound().meanLoss();
        double lr = state.plan() == null ? Double.NaN : state.plan().learningRates().rate(time.steps());
        return String.format(Locale.ROOT, "[train] %5.1f%% of budget  epoch %.2f  step %d  elapsed %s  ETA %s  "
                + "loss %.4f  lr %.5f  %.0f samples/s", used * 100, time.epochs(), time.steps(),
                format(time.elapsed()), eta, loss, lr, seconds > 0 ? time.samples() / seconds : 0.0);
    }

    private static String format(Duration d) {
        long s = d.toSeconds();
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
}
