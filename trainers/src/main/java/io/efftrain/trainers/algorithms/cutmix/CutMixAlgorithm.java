package io.efftrain.trainers.algorithms.cutmix;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.algorithms.mixup.BetaSampler;
import io.efftrain.trainers.averaging.MinibatchState;
import io.efftrain.trainers.algorithms.mixup.Mixup;
import io.efftrain.trainers.model.InputShape;
import java.util.SplittableRandom;

/**
 * Applies CutMix to every minibatch: lambda ~ Beta(alpha, alpha), a box of area (1 - lambda) at a random centre,
 * clipped to the image (the labels follow the clipped area).
 */
public final class CutMixAlgorithm implements TrainingAlgorithm<MinibatchState> {
    private static final long serialVersionUID = 1L;
    private static final long SALT = 0x6375746d6978L;
    private final double alpha;
    private final InputShape shape;

    public CutMixAlgorithm(double alpha, InputShape shape) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("cutmix needs alpha > 0, got " + alpha);
        }
        this.alpha = alpha;
        this.shape = shape;
    }

    @Override
    public boolean match(Event event, MinibatchState state) {
        return event == Event.BATCH_START && state.count() > 1;
    }

    @Override
    public void apply(Event event, MinibatchState state) {
        SplittableRandom random = state.random(SALT);
        double lambda = BetaSampler.symmetric(alpha, random);
        double side = Math.sqrt(1 - lambda);
        int rows = shape.rows();
        int columns = shape.columns();
        int centreRow = random.nextInt(rows);
        int centreColumn = random.nextInt(columns);
        int top = Math.max(0, centreRow - (int) (side * rows / 2));
        int bottom = Math.min(rows, centreRow + (int) (side * rows / 2));
        int left = Math.max(0, centreColumn - (int) (side * columns / 2));
        int right = Math.min(columns, centreColumn + (int) (side * columns / 2));
        if (bottom <= top || right <= left) {
            return;
        }
        CutMix.apply(state.features(), state.labels(), state.count(), shape.channels(), rows, columns,
                state.classes(), top, left, bottom - top, right - left, Mixup.partners(state.count(), random));
    }
}
