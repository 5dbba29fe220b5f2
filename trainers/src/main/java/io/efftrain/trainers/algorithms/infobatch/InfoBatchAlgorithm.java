package io.efftrain.trainers.algorithms.infobatch;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.DataSelection;
import io.efftrain.trainers.averaging.ExampleLossReport;
import io.efftrain.trainers.loop.EpochLengths;
import io.efftrain.trainers.loop.TrainingState;
import java.util.Arrays;
import java.util.OptionalDouble;
import org.slf4j.LoggerFactory;

/**
 * InfoBatch inside training: the driver keeps every example's latest training loss (the workers report them with
 * each round's result: the losses come from the training forward pass, so scoring costs nothing extra), and at
 * every epoch start chooses the epoch's examples with {@link InfoBatch#prune}. Once {@code anneal} of the budget
 * is used, epochs use all data at weight 1 again. An epoch is one pass over what was chosen, so pruned epochs
 * take fewer steps; the algorithm tells the loop how long it expects later epochs to be, so the learning-rate
 * schedule still ends where the shortened training ends.
 *
 * <p>State (scores, the current epoch's choice) travels in checkpoints: a resumed run continues the same epoch
 * and chooses the next ones exactly as an uninterrupted run would.
 */
public final class InfoBatchAlgorithm implements TrainingAlgorithm<TrainingState> {
    private static final long serialVersionUID = 1L;

    private final double pruneRatio;
    private final double anneal;
    private final long seed;
    private final int batchSize;
    private float[][] scores;
    private DataSelection current;
    private double keptShare;
    private long skipped;
    private long chosen;

    /**
     * @param pruneRatio the share of well-learned examples skipped each epoch
     * @param anneal the budget fraction from which epochs use all data
     * @param seed the run seed
     * @param batchSize examples per worker minibatch
     */
    public InfoBatchAlgorithm(double pruneRatio, double anneal, long seed, int batchSize) {
        this.pruneRatio = pruneRatio;
        this.anneal = anneal;
        this.seed = seed;
        this.batchSize = batchSize;
        // Before any epoch has been pruned: about half the examples score below the mean.
        this.keptShare = 1 - pruneRatio / 2;
    }

    @Override
    public boolean match(Event event, TrainingState state) {
        return event == Event.FIT_START || event == Event.ROUND_END || event == Event.EPOCH_END;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        switch (event) {
            case FIT_START -> {
                if (scores == null) {
                    scores = Arrays.stream(state.blockSizes()).mapToObj(InfoBatchAlgorithm::unseen)
                            .toArray(float[][]::new);
                }
                if (current != null && state.time().steps() < current.endStep()) {
                    state.select(current, laterEpochs(state));
                } else {
                    chooseEpoch(state);
                }
            }
            case ROUND_END -> record(state.lastRound().exampleLosses());
            case EPOCH_END -> {
                if (state.budget().exhausted(state.time()).isEmpty()) {
                    chooseEpoch(state);
                }
            }
            default -> {
            }
        }
    }

    private static float[] unseen(int size) {
        float[] s = new float[size];
        Arrays.fill(s, Float.POSITIVE_INFINITY);
        return s;
    }

    private void record(ExampleLossReport losses) {
        for (int i = 0; i < losses.size(); i++) {
            scores[losses.workers()[i]][losses.examples()[i]] = losses.losses()[i];
        }
    }

    private void chooseEpoch(TrainingState state) {
        long epoch = Math.round(state.time().epochs());
        long examples = state.datasetSize();
        if (state.budgetUsed() < anneal) {
            InfoBatch.Epoch choice = InfoBatch.prune(scores, pruneRatio, seed, epoch);
            current = DataSelection.epoch(state.time().steps(), batchSize, choice.order(), choice.weights(), true);
            if (choice.skipped() > 0) {
                keptShare = (double) current.examples() / examples;
            }
            skipped += choice.skipped();
        } else {
            current = DataSelection.epoch(state.time().steps(), batchSize,
                    InfoBatch.all(state.blockSizes(), seed, epoch), null, true);
        }
        chosen += current.examples();
        state.select(current, laterEpochs(state));
        LoggerFactory.getLogger(InfoBatchAlgorithm.class).info("InfoBatch epoch {}: {} of {} examples, {} steps",
                epoch, current.examples(), examples, current.steps());
    }

    /** Later epochs: pruned ones at the share kept lately, full ones from the anneal point of an epoch budget. */
    private EpochLengths laterEpochs(TrainingState state) {
        long fullSteps = Math.max(1, Arrays.stream(state.blockSizes()).min().orElse(1) / batchSize);
        long prunedSteps = Math.max(1, Math.round(fullSteps * keptShare));
        OptionalDouble epochs = state.budget().limits().epochs();
        return epoch -> epochs.isPresent() && epoch >= anneal * epochs.getAsDouble() ? fullSteps : prunedSteps;
    }

    /** Well-learned examples skipped so far, summed over epochs. */
    public long skipped() {
        return skipped;
    }

    /** Examples chosen so far, summed over epochs (each counted once per epoch it was chosen for). */
    public long chosen() {
        return chosen;
    }
}
