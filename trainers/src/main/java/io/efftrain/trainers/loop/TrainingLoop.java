package io.efftrain.trainers.loop;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.budget.TrainingTime;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.pipeline.training.TrainingCallback;
import io.efftrain.trainers.averaging.BlockSet;
import io.efftrain.trainers.averaging.DataSelection;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.averaging.RoundPlan;
import io.efftrain.trainers.averaging.RoundResult;
import io.efftrain.trainers.averaging.TrainRound;
import io.efftrain.trainers.network.NetworkSpec;
import io.efftrain.trainers.schedule.LearningRatePlan;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The training loop, for one JVM and for Spark alike: rounds of local steps on every block, then parameter
 * averaging, until the budget is used. Techniques hook into its {@link Event}s; the loop itself only plans
 * rounds, runs them and keeps time.
 */
public final class TrainingLoop {
    private final BlockSet blocks;
    private final NetworkSpec spec;
    private final LoopSettings settings;
    private final Budget budget;
    private final Ticker ticker;
    private final List<TrainingAlgorithm<TrainingState>> algorithms;
    private final List<TrainingCallback<TrainingState>> callbacks;
    private Evaluator evaluator;
    private double evaluateEveryEpochs;

    public TrainingLoop(BlockSet blocks, NetworkSpec spec, LoopSettings settings, Budget budget, Ticker ticker,
                        List<TrainingAlgorithm<TrainingState>> algorithms,
                        List<TrainingCallback<TrainingState>> callbacks) {
        this.blocks = blocks;
        this.spec = spec;
        this.settings = settings;
        this.budget = budget;
        this.ticker = ticker;
        this.algorithms = List.copyOf(algorithms);
        this.callbacks = List.copyOf(callbacks);
    }

    /**
     * Evaluates the model every {@code everyEpochs} epochs during training (firing {@link Event#EVAL_END}); the
     * budget's clock does not run during evaluation, so evaluating more often does not shorten training.
     */
    public TrainingLoop evaluatingEvery(double everyEpochs, Evaluator evaluator) {
        this.evaluateEveryEpochs = everyEpochs;
        this.evaluator = evaluator;
        return this;
    }

    /** Trains from {@code initial} until the budget is exhausted; returns the final state. */
    public TrainingState fit(ParameterState initial) {
        return fit(initial, TrainingTime.zero(), List.of());
    }

    /**
     * Continues training from {@code initial} at training time {@code from} (a resumed run): steps, samples and
     * elapsed time carry on, so the schedule and the budget continue where they stopped.
     */
    public TrainingState fit(ParameterState initial, TrainingTime from, List<EvaluationPoint> earlierEvaluations) {
        TrainingState state = new TrainingState(budget, blocks.blockSizes(), initial, from);
        state.addEvaluations(earlierEvaluations);
        long samplesPerStep = (long) settings.batchSize() * blocks.blocks();
        if (evaluator != null) {
            evaluationSpacingWarning(evaluateEveryEpochs, blocks.examples(), samplesPerStep, settings.stepsPerRound())
                    .ifPresent(LoggerFactory.getLogger(TrainingLoop.class)::warn);
        }
        long start = ticker.nanos() - from.elapsed().toNanos();
        fire(Event.FIT_START, state);
        while (budget.exhausted(state.time()).isEmpty() && state.stopRequest().isEmpty()) {
            TrainingTime time = state.time();
            DataSelection selection = state.selection();
            if (selection != null && time.steps() >= selection.endStep()) {
                state.select(null, null);
                selection = null;
            }
            long totalSteps = selection != null && selection.epoch()
                    ? budget.estimatedTotalSteps(time, samplesPerStep, epochs -> stepAtEpoch(state, epochs))
                    : budget.estimatedTotalSteps(time, samplesPerStep, blocks.examples());
            long stepsLeft = Math.min(totalSteps, selection == null ? Long.MAX_VALUE : selection.endStep())
                    - time.steps();
            int steps = (int) Math.max(1, Math.min(settings.stepsPerRound(), stepsLeft));
            state.setPlan(new RoundPlan(time.steps(), steps, settings.batchSize(),
                    new LearningRatePlan(settings.baseLearningRate(), settings.schedule(), settings.warmup(), totalSteps), settings.seed(),
                    settings.workerAlgorithms(), selection));
            fire(Event.ROUND_START, state);

            RoundPlan plan = state.plan();
            RoundResult round = blocks.aggregate(state.model(), new TrainRound(spec, plan),
                    RoundResult::plus, RoundResult.empty());
            if (!Double.isFinite(round.meanLoss())) {
                throw new DivergenceException("training diverged at global step " + time.steps()
                        + ": the minibatch loss became " + round.meanLoss() + " (learning rate "
                        + plan.learningRates().rate(plan.firstStep()) + "). Lower train.optimizer.learning-rate.");
            }
            state.setModel(round.average(state.model(), state.model().iteration() + plan.steps()));
            state.setLastRound(round);
            long epochsBefore = (long) Math.floor(time.epochs());
            Duration elapsed = Duration.ofNanos(ticker.nanos() - start);
            state.setTime(plan.selection() != null && plan.selection().epoch()
                    ? time.plusRound(plan.steps(), round.samples(), epochsAfter(time, plan), elapsed,
                    settings.flopsPerExample())
                    : time.plusRound(plan.steps(), round.samples(), blocks.examples(), elapsed,
                    settings.flopsPerExample()));
            fire(Event.ROUND_END, state);
            if ((long) Math.floor(state.time().epochs()) > epochsBefore) {
                fire(Event.EPOCH_END, state);
            }
            if (evaluator != null && evaluationDue(time.epochs(), state.time().epochs(), state)) {
                long paused = ticker.nanos();
                EvaluationCounts counts = evaluator.evaluate(state.model());
                start += ticker.nanos() - paused;
                state.addEvaluation(new EvaluationPoint(state.time(), counts), state.model());
                fire(Event.EVAL_END, state);
            }
        }
        state.setStopReason(state.stopRequest().orElseGet(() -> budget.exhausted(state.time()).orElseThrow()));
        fire(Event.FIT_END, state);
        return state;
    }

    /**
     * A warning when evaluations are due more often than rounds end: the model is only evaluated between rounds,
     * so on small data with long rounds the run would silently evaluate less often than configured.
     */
    static Optional<String> evaluationSpacingWarning(double everyEpochs, long examples, long samplesPerStep,
                                                     int stepsPerRound) {
        double stepsPerEvaluation = everyEpochs * examples / samplesPerStep;
        if (stepsPerEvaluation >= stepsPerRound) {
            return Optional.empty();
        }
        double epochsPerRound = (double) stepsPerRound * samplesPerStep / examples;
        return Optional.of(String.format(Locale.ROOT, "train.evaluation.every-epochs = %s is about %.1f steps here, "
                + "fewer than a round of train.steps-per-round = %d; evaluations happen between rounds, so they come "
                + "about every %.2f epochs instead. Set train.steps-per-round to at most %d to evaluate as configured.",
                everyEpochs, stepsPerEvaluation, stepsPerRound, epochsPerRound,
                Math.max(1, (long) Math.floor(stepsPerEvaluation))));
    }

    /** Epochs after a round inside an epoch selection: each of its steps is an equal share of the epoch. */
    private static double epochsAfter(TrainingTime time, RoundPlan plan) {
        DataSelection selection = plan.selection();
        double epochs = time.epochs() + (double) plan.steps() / selection.steps();
        return time.steps() + plan.steps() >= selection.endStep() ? Math.rint(epochs) : epochs;
    }

    /**
     * The global step at which {@code epochs} epochs will be done, when the current epoch is a selection: its own
     * end, then the later epochs at the lengths the selecting algorithm expects (full passes if it gave none).
     */
    private long stepAtEpoch(TrainingState state, double epochs) {
        DataSelection selection = state.selection();
        TrainingTime time = state.time();
        long epochEnd = Math.round(time.epochs() + (double) (selection.endStep() - time.steps()) / selection.steps());
        if (epochs <= epochEnd) {
            return selection.firstStep() + (long) Math.ceil((epochs - (epochEnd - 1)) * selection.steps());
        }
        long fullEpoch = Math.max(1, Arrays.stream(state.blockSizes()).min().orElse(1) / settings.batchSize());
        EpochLengths later = state.laterEpochs() != null ? state.laterEpochs() : epoch -> fullEpoch;
        double step = selection.endStep();
        for (long epoch = epochEnd; epoch < epochs; epoch++) {
            step += later.steps(epoch) * Math.min(1.0, epochs - epoch);
        }
        return (long) Math.ceil(step);
    }

    /** Due when the round crossed a multiple of the interval, or ended training. */
    private boolean evaluationDue(double epochsBefore, double epochsAfter, TrainingState state) {
        boolean crossed = Math.floor(epochsAfter / evaluateEveryEpochs + 1e-9)
                > Math.floor(epochsBefore / evaluateEveryEpochs + 1e-9);
        return crossed || budget.exhausted(state.time()).isPresent();
    }

    private void fire(Event event, TrainingState state) {
        for (TrainingAlgorithm<TrainingState> algorithm : algorithms) {
            if (algorithm.match(event, state)) {
                algorithm.apply(event, state);
            }
        }
        for (TrainingCallback<TrainingState> callback : callbacks) {
            callback.on(event, state);
        }
    }
}
