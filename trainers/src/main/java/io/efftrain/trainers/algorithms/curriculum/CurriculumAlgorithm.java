package io.efftrain.trainers.algorithms.curriculum;

import io.efftrain.pipeline.config.Pacing;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.DataSelection;
import io.efftrain.trainers.averaging.Permutations;
import io.efftrain.trainers.loop.TrainingState;
import java.util.SplittableRandom;

/**
 * A curriculum: workers draw only from the first {@link PacingFunctions#share} of their block, which grows with
 * the budget used until it is all of it. The contract with whoever builds the blocks: every block is ordered in
 * curriculum order (easiest first, or hardest first for an anti-curriculum), as the {@code run} job arranges from
 * the score table. The algorithm itself only chooses prefixes, so it knows no scores and works on any order.
 *
 * <p>Training length is not changed: a step draws from the available pool, and epochs stay examples processed
 * over the data set size, as in Hacohen and Weinshall's setup, so a curriculum run costs what the plain run costs.
 */
public final class CurriculumAlgorithm implements TrainingAlgorithm<TrainingState> {
    private static final long serialVersionUID = 1L;
    private final Pacing pacing;
    private final double start;
    private final double fullAt;
    private final long seed;
    private final int batchSize;
    private long pooled = -1;
    private long pooledFrom;

    public CurriculumAlgorithm(Pacing pacing, double start, double fullAt, long seed, int batchSize) {
        this.pacing = pacing;
        this.start = start;
        this.fullAt = fullAt;
        this.seed = seed;
        this.batchSize = batchSize;
    }

    @Override
    public boolean match(Event event, TrainingState state) {
        return event == Event.FIT_START || event == Event.ROUND_END;
    }

    @Override
    public void apply(Event event, TrainingState state) {
        double share = PacingFunctions.share(pacing, start, fullAt, state.budgetUsed());
        int[] sizes = state.blockSizes();
        long available = 0;
        int[][] order = new int[sizes.length][];
        for (int b = 0; b < sizes.length; b++) {
            int n = (int) Math.min(sizes[b], Math.max(Math.min(batchSize, sizes[b]), Math.ceil(share * sizes[b])));
            available += n;
            order[b] = new int[n];
        }
        if (share >= 1) {
            state.select(null, null);
            pooled = available;
            return;
        }
        if (available == pooled && event != Event.FIT_START) {
            return;
        }
        // A resumed run rebuilds the pool it was drawing from, from the step that pool started at.
        long from = available == pooled ? pooledFrom : state.time().steps();
        for (int b = 0; b < sizes.length; b++) {
            order[b] = Permutations.shuffled(order[b].length,
                    new SplittableRandom((seed * 0x9E3779B97F4A7C15L + from) * 0xBF58476D1CE4E5B9L + b));
        }
        pooled = available;
        pooledFrom = from;
        state.select(DataSelection.pool(from, order, false), null);
    }

    /** Examples currently available, over all blocks. */
    public long available() {
        return pooled;
    }
}
