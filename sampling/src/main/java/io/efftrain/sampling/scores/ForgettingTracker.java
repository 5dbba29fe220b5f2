package io.efftrain.sampling.scores;

import io.efftrain.pipeline.scoring.ExampleScorer;
import java.io.Serializable;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.storage.StorageLevel;

/**
 * Counts forgetting events (Toneva et al. 2019): an example is forgotten when a model that classified it
 * correctly at one observation misclassifies it at the next. The counts live on the executors, one small
 * state per block, updated in place by each observation; nothing about the examples reaches the driver.
 * Examples never classified correctly are unforgettable in the paper's sense of "never learned" and get the
 * largest count ({@code observations}), so they rank hardest.
 */
public final class ForgettingTracker {
    private final JavaRDD<KeyedBlock> blocks;
    private JavaRDD<State> states;
    private int observations;

    /** Per-block state: last correctness and event counts, in block order. */
    public record State(boolean[] lastCorrect, boolean[] everCorrect, int[] forgotten) implements Serializable {
    }

    public ForgettingTracker(JavaRDD<KeyedBlock> blocks) {
        this.blocks = blocks;
        this.states = blocks.map(b -> new State(new boolean[b.ids().length], new boolean[b.ids().length],
                new int[b.ids().length]));
    }

    /** Observes every example once more with {@code scorer} (a Spark job). */
    public void observe(Broadcast<ExampleScorer> scorer) {
        JavaRDD<State> previous = states;
        states = blocks.zipPartitions(previous, (Iterator<KeyedBlock> b, Iterator<State> s) -> {
            if (!b.hasNext()) {
                return List.<State>of().iterator();
            }
            KeyedBlock block = b.next();
            State state = s.next();
            boolean[] correct = scorer.value().score(block.block()).correct();
            int[] forgotten = state.forgotten().clone();
            boolean[] ever = state.everCorrect().clone();
            for (int i = 0; i < correct.length; i++) {
                if (state.lastCorrect()[i] && !correct[i]) {
                    forgotten[i]++;
                }
                ever[i] |= correct[i];
            }
            return List.of(new State(correct, ever, forgotten)).iterator();
        }).persist(StorageLevel.MEMORY_AND_DISK());
        states.count(); // materialise before the previous state is dropped
        previous.unpersist(false);
        observations++;
    }

    /** Forgetting counts in block order, aligned with {@link #blocks()}. */
    public JavaRDD<double[]> counts() {
        int never = observations;
        return states.map(state -> {
            double[] out = new double[state.forgotten().length];
            for (int i = 0; i < out.length; i++) {
                out[i] = state.everCorrect()[i] ? state.forgotten()[i] : never;
            }
            return out;
        });
    }

    public JavaRDD<KeyedBlock> blocks() {
        return blocks;
    }

    public void release() {
        states.unpersist(false);
    }
}
