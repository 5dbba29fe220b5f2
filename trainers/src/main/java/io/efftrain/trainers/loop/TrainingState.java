package io.efftrain.trainers.loop;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.budget.StopReason;
import io.efftrain.pipeline.budget.TrainingTime;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.averaging.DataSelection;
import io.efftrain.trainers.averaging.RoundPlan;
import io.efftrain.trainers.averaging.RoundResult;
import io.efftrain.trainers.averaging.WorkerTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The driver's view of training, handed to algorithms (which may change it) and callbacks (which only read it)
 * at every driver-side event.
 */
public final class TrainingState {
    private final Budget budget;
    private final long datasetSize;
    private ParameterState model;
    private TrainingTime time;
    private RoundPlan plan;
    private RoundResult lastRound;
    private WorkerTime workerTime = WorkerTime.NONE;
    private long roundsWallNanos;
    private long lastRoundWallNanos;
    private StopReason stopReason;
    private StopReason stopRequest;
    private final List<EvaluationPoint> evaluations = new ArrayList<>();
    private ParameterState lastEvaluatedModel;
    private final int[] blockSizes;
    private DataSelection selection;
    private EpochLengths laterEpochs;

    TrainingState(Budget budget, int[] blockSizes, ParameterState model, TrainingTime time) {
        this.budget = budget;
        this.blockSizes = blockSizes.clone();
        long datasetSize = 0;
        for (int size : blockSizes) {
            datasetSize += size;
        }
        this.datasetSize = datasetSize;
        this.model = model;
        this.time = time;
    }

    public Budget budget() {
        return budget;
    }

    /** Training examples per epoch. */
    public long datasetSize() {
        return datasetSize;
    }

    /** The current averaged model. */
    public ParameterState model() {
        return model;
    }

    public void setModel(ParameterState model) {
        this.model = model;
    }

    public TrainingTime time() {
        return time;
    }

    void setTime(TrainingTime time) {
        this.time = time;
    }

    /** The plan of the current or last round. */
    public RoundPlan plan() {
        return plan;
    }

    /** Replaces the plan of the round about to start (at ROUND_START). */
    public void setPlan(RoundPlan plan) {
        this.plan = plan;
    }

    /** What the workers of the last round returned, or null before the first round. */
    public RoundResult lastRound() {
        return lastRound;
    }

    void setLastRound(RoundResult lastRound, long wallNanos) {
        this.lastRound = lastRound;
        this.workerTime = workerTime.nextRound(lastRound.workerTime());
        this.lastRoundWallNanos = wallNanos;
        this.roundsWallNanos += wallNanos;
    }

    /**
     * Wall time of the last round on the driver's clock: from the end of the round before (evaluation excluded)
     * through planning, the workers' tasks and averaging.
     */
    public long lastRoundWallNanos() {
        return lastRoundWallNanos;
    }

    /** Wall time of the rounds this process ran, the same rounds as {@link #workerTime()}. */
    public long roundsWallNanos() {
        return roundsWallNanos;
    }

    /**
     * The workers' step-loop time and CPU time, summed over the rounds this process ran (a run resumed from a
     * checkpoint counts from its restart: these figures describe the machine, not the model).
     */
    public WorkerTime workerTime() {
        return workerTime;
    }

    /** Why training stopped, once it has. */
    public Optional<StopReason> stopReason() {
        return Optional.ofNullable(stopReason);
    }

    void setStopReason(StopReason stopReason) {
        this.stopReason = stopReason;
    }

    /** Asks the loop to stop after the current event (an algorithm's decision, such as a reached target). */
    public void requestStop(StopReason reason) {
        if (stopRequest == null) {
            stopRequest = reason;
        }
    }

    /** The stop an algorithm asked for, if any. */
    public Optional<StopReason> stopRequest() {
        return Optional.ofNullable(stopRequest);
    }

    /** Every evaluation so far, oldest first. */
    public List<EvaluationPoint> evaluations() {
        return Collections.unmodifiableList(evaluations);
    }

    /** The latest evaluation, if any. */
    public Optional<EvaluationPoint> lastEvaluation() {
        return evaluations.isEmpty() ? Optional.empty() : Optional.of(evaluations.get(evaluations.size() - 1));
    }

    void addEvaluations(List<EvaluationPoint> points) {
        evaluations.addAll(points);
    }

    void addEvaluation(EvaluationPoint point, ParameterState evaluated) {
        evaluations.add(point);
        lastEvaluatedModel = evaluated;
    }

    /**
     * The latest evaluation if it was of the current model (not, say, of the weights before an algorithm
     * replaced them with their average at FIT_END), so it can stand for a final evaluation.
     */
    public Optional<EvaluationPoint> evaluationOfCurrentModel() {
        return lastEvaluatedModel == model ? lastEvaluation() : Optional.empty();
    }

    /** The examples the workers draw from, or null for every example (see {@link DataSelection}). */
    public DataSelection selection() {
        return selection;
    }

    /** How long epochs after the current selection are expected to be, or null for full passes. */
    public EpochLengths laterEpochs() {
        return laterEpochs;
    }

    /**
     * Makes the workers draw from {@code selection} from the next round on (null: every example again).
     *
     * @param laterEpochs for an epoch selection, the expected length of the epochs after it (null: full passes)
     */
    public void select(DataSelection selection, EpochLengths laterEpochs) {
        this.selection = selection;
        this.laterEpochs = laterEpochs;
    }

    /** Examples in each block (worker), in worker order: what a selection's orders index into. */
    public int[] blockSizes() {
        return blockSizes.clone();
    }

    /** The fraction of the budget used. */
    public double budgetUsed() {
        return budget.fractionUsed(time);
    }
}
