package io.efftrain.trainers.loop;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.budget.BudgetPrior;
import io.efftrain.pipeline.budget.StopReason;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.budget.TrainingTime;
import io.efftrain.pipeline.config.ScheduleType;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TerminationSignal;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.pipeline.training.TrainingCallback;
import io.efftrain.trainers.averaging.BlockSet;
import io.efftrain.trainers.averaging.DataSelection;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.averaging.PrepareWorkers;
import io.efftrain.trainers.averaging.RoundPlan;
import io.efftrain.trainers.averaging.RoundResult;
import io.efftrain.trainers.averaging.TrainRound;
import io.efftrain.trainers.network.NetworkSpec;
import io.efftrain.trainers.schedule.LearningRatePlan;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * The training loop, for one JVM and for Spark alike: rounds of local steps on every block, then parameter
 * averaging, until the budget is used. Techniques hook into its {@link Event}s; the loop itself only plans
 * rounds, runs them and keeps time.
 */
public final class TrainingLoop {
    /** Steps of the probe that measures a wall-clock budget's step time before the clock starts. */
    static final int PROBE_STEPS = 4;
    /** Rounds in a row above {@link LoopSettings#explodedLoss()} that count as divergence: one may be a spike. */
    static final int EXPLODED_ROUNDS = 2;
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
     * elapsed time carry on, so the schedule and the budget continue where they stopped. The workers are readied
     * ({@link PrepareWorkers}) before the clock starts.
     */
    public TrainingState fit(ParameterState initial, TrainingTime from, List<EvaluationPoint> earlierEvaluations) {
        TrainingState state = new TrainingState(budget, blocks.blockSizes(), initial, from);
        state.addEvaluations(earlierEvaluations);
        long samplesPerStep = (long) settings.batchSize() * blocks.blocks();
        blocks.aggregate(0, new PrepareWorkers(spec), Integer::sum, 0);
        // The probe only where nothing else bounds the total: a wall-clock limit beside an epoch or step limit is a
        // safety cap, and its first round re-estimates anyway.
        boolean unbounded = budget.estimatedTotalSteps(from, samplesPerStep, blocks.examples(),
                new BudgetPrior(0, settings.flopsPerExample())) == Long.MAX_VALUE;
        BudgetPrior prior = new BudgetPrior(unbounded && from.steps() == 0 ? probeNanosPerStep(initial) : 0,
                settings.flopsPerExample());
        long start = ticker.nanos() - from.elapsed().toNanos();
        int explodedRounds = 0;
        fire(Event.FIT_START, state);
        while (budget.exhausted(state.time()).isEmpty() && state.stopRequest().isEmpty()) {
            TrainingTime time = state.time();
            DataSelection selection = state.selection();
            if (selection != null && time.steps() >= selection.endStep()) {
                state.select(null, null);
                selection = null;
            }
            long totalSteps = selection != null && selection.epoch()
                    ? budget.estimatedTotalSteps(time, samplesPerStep, epochs -> stepAtEpoch(state, epochs), prior)
                    : budget.estimatedTotalSteps(time, samplesPerStep, blocks.examples(), prior);
            long stepsLeft = Math.min(totalSteps, selection == null ? Long.MAX_VALUE : selection.endStep())
                    - time.steps();
            int steps = (int) Math.max(1, Math.min(settings.stepsPerRound(), stepsLeft));
            // A round ends at the next evaluation point, so the model is evaluated where it was asked to be
            // (and a target accuracy stops training there) however long the rounds are. Both points are
            // functions of the current step alone, so a resumed run evaluates where the uninterrupted one did.
            boolean epochSelection = selection != null && selection.epoch();
            double evaluationEpochs = evaluator == null ? Double.POSITIVE_INFINITY
                    : (Math.floor(time.epochs() / evaluateEveryEpochs + 1e-9) + 1) * evaluateEveryEpochs;
            long evaluationStep = evaluator == null ? Long.MAX_VALUE
                    : epochSelection ? stepAtEpoch(state, evaluationEpochs)
                    : nextPlainEvaluationStep(time.steps(), settings.batchSize());
            if (evaluationStep > time.steps()) {
                steps = (int) Math.min(steps, evaluationStep - time.steps());
            }
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
            explodedRounds = round.meanLoss() > settings.explodedLoss() ? explodedRounds + 1 : 0;
            state.setModel(round.average(state.model(), state.model().iteration() + plan.steps()));
            Duration elapsed = Duration.ofNanos(ticker.nanos() - start);
            state.setLastRound(round, elapsed.minus(time.elapsed()).toNanos());
            long epochsBefore = (long) Math.floor(time.epochs());
            double roundFlops = round.work().flops(settings.flopsPerExample(),
                    settings.frozenBackwardFlopsPerExample());
            prior = prior.withFlopsPerSample(round.samples() > 0 ? roundFlops / round.samples() : 0);
            state.setTime(plan.selection() != null && plan.selection().epoch()
                    ? time.plusRound(plan.steps(), round.samples(), epochsAfter(time, plan), elapsed, roundFlops)
                    : time.plusRound(plan.steps(), round.samples(), blocks.examples(), elapsed, roundFlops));
            // Two exploded rounds in a row, or one that ends the budget: a run must not end "done" on it.
            if (explodedRounds >= EXPLODED_ROUNDS
                    || explodedRounds > 0 && budget.exhausted(state.time()).isPresent()) {
                throw new DivergenceException(String.format(java.util.Locale.ROOT, "training diverged at global "
                        + "step %d: the mean minibatch loss stayed above %.2f (three times an untrained "
                        + "classifier's) for %d round(s), now %.3g, at learning rate %.3g. Lower "
                        + "train.optimizer.learning-rate.", time.steps() + plan.steps(), settings.explodedLoss(),
                        explodedRounds, round.meanLoss(), plan.learningRates().rate(plan.firstStep())));
            }
            fire(Event.ROUND_END, state);
            if (TerminationSignal.requested()) {
                state.requestStop(StopReason.TERMINATED);
            }
            if ((long) Math.floor(state.time().epochs()) > epochsBefore) {
                fire(Event.EPOCH_END, state);
            }
            boolean evaluationDue = epochSelection ? state.time().epochs() >= evaluationEpochs - 1e-9
                    : state.time().steps() >= evaluationStep;
            boolean terminating = state.stopRequest().orElse(null) == StopReason.TERMINATED;
            if (evaluator != null && !terminating && (evaluationDue || budget.exhausted(state.time()).isPresent())) {
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
     * The wall time of one global step, measured before the clock starts by a short round at learning rate zero
     * whose result is dropped: a wall-clock budget then knows its total steps from the first step, so the warm-up
     * and the schedule run from the start instead of waiting a round for a throughput. Per step it includes the
     * round's fixed cost spread over a few steps, so it errs long; every later round re-estimates from its own
     * measurements.
     */
    private double probeNanosPerStep(ParameterState initial) {
        int steps = Math.max(1, Math.min(settings.stepsPerRound(), PROBE_STEPS));
        RoundPlan probe = new RoundPlan(0, steps, settings.batchSize(),
                new LearningRatePlan(0, ScheduleType.CONSTANT, 0, steps), settings.seed(), List.of());
        long before = ticker.nanos();
        blocks.aggregate(initial, new TrainRound(spec, probe), RoundResult::plus, RoundResult.empty());
        return Math.max(1, ticker.nanos() - before) / (double) steps;
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

    /**
     * The first evaluation step after {@code step} without an epoch selection: the k-th evaluation comes at the
     * step where k intervals of epochs are done. Every step of a worker takes min(batch, block size) examples (a
     * worker's epoch drops its last partial batch), so epochs are proportional to steps. Selective backprop
     * keeps that true: its rounds count the examples drawn, not the share back-propagated.
     */
    private long nextPlainEvaluationStep(long step, int batchSize) {
        long perStep = Arrays.stream(blocks.blockSizes()).mapToLong(size -> Math.min(batchSize, size)).sum();
        double stepsPerInterval = evaluateEveryEpochs * blocks.examples() / Math.max(1, perStep);
        long k = Math.max(1, (long) Math.floor(step / stepsPerInterval));
        while ((long) Math.ceil(k * stepsPerInterval - 1e-9) <= step) {
            k++;
        }
        return (long) Math.ceil(k * stepsPerInterval - 1e-9);
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
