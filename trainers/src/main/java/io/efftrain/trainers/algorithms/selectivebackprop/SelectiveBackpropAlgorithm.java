package io.efftrain.trainers.algorithms.selectivebackprop;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.MinibatchState;

/**
 * Selective backprop (Jiang et al., 2019) on the workers: between {@code start} and {@code end} of the budget,
 * each minibatch is scored with a forward pass at the current parameters and only the {@code keep} share with the
 * highest losses is trained on; the others cost that forward pass and nothing more. The choice is within the
 * minibatch (as in MosaicML Composer's implementation), so no loss history is carried between rounds.
 */
public final class SelectiveBackpropAlgorithm implements TrainingAlgorithm<MinibatchState> {
    private static final long serialVersionUID = 1L;
    private final double keep;
    private final double start;
    private final double end;

    public SelectiveBackpropAlgorithm(double keep, double start, double end) {
        this.keep = keep;
        this.start = start;
        this.end = end;
    }

    @Override
    public boolean match(Event event, MinibatchState batch) {
        return event == Event.BATCH_START && batch.budgetUsed() >= start && batch.budgetUsed() < end
                && batch.count() > 1;
    }

    @Override
    public void apply(Event event, MinibatchState batch) {
        batch.keepOnly(SelectiveBackprop.highestLosses(batch.currentLosses(), keep));
    }
}
