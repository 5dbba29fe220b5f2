package io.efftrain.trainers.checkpoint;

import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.pipeline.training.TrainingCallback;
import io.efftrain.trainers.loop.TrainingState;
import java.util.List;

/** Saves a checkpoint every N rounds and when training ends. */
public final class CheckpointWriter implements TrainingCallback<TrainingState> {
    private final CheckpointStore store;
    private final int everyRounds;
    private final List<TrainingAlgorithm<TrainingState>> algorithms;

    /**
     * @param algorithms the same algorithm instances the loop runs, so their current state is saved
     */
    public CheckpointWriter(CheckpointStore store, int everyRounds, List<TrainingAlgorithm<TrainingState>> algorithms) {
        this.store = store;
        this.everyRounds = everyRounds;
        this.algorithms = List.copyOf(algorithms);
    }

    @Override
    public void on(Event event, TrainingState state) {
        // After the round's evaluation, so a resumed run does not evaluate the same model twice.
        boolean due = (event == Event.ROUND_END || event == Event.EVAL_END) && state.time().rounds() % everyRounds == 0;
        if (due || event == Event.FIT_END) {
            store.save(new Checkpoint(state.model(), state.time(), algorithms, List.copyOf(state.evaluations())));
        }
    }
}
