package io.efftrain.pipeline.training;

import java.io.Serializable;

/**
 * A training technique (a schedule, a regulariser, a data policy...) that hooks into the loop's events and may
 * change the training state. The loop never knows which techniques exist; it only fires events. Algorithms are
 * serialisable because worker-side events run in Spark tasks and because checkpoints carry their state.
 *
 * @param <S> the state the loop exposes at the events this algorithm handles
 */
public interface TrainingAlgorithm<S> extends Serializable {
    /** Whether this algorithm acts at {@code event} in {@code state}; cheap and side-effect free. */
    boolean match(Event event, S state);

    /** Acts at {@code event}; called only where {@link #match} returned true. */
    void apply(Event event, S state);
}
