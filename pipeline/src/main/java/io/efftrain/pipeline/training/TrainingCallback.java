package io.efftrain.pipeline.training;

/**
 * Observes the training loop's driver-side events (progress output, metrics files, checkpoints) without
 * changing the training state; a technique that changes state is a {@link TrainingAlgorithm} instead.
 *
 * @param <S> the state the loop exposes
 */
@FunctionalInterface
public interface TrainingCallback<S> {
    /** Called at every driver-side event, after the algorithms that matched it. */
    void on(Event event, S state);
}
