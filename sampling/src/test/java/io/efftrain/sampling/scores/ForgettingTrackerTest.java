package io.efftrain.sampling.scores;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.scoring.ExampleScorer;
import io.efftrain.pipeline.scoring.ExampleScores;
import io.efftrain.pipeline.testing.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Forgetting events counted on the executors from a scripted sequence of observations. */
class ForgettingTrackerTest {
    /**
     * Says example i is correct at observation t when bit t of {@code pattern[i]} is set: a stand-in for a model
     * whose answers we choose, so the expected counts are known.
     */
    private record ScriptedScorer(int[] pattern, int observation) implements ExampleScorer {
        @Override
        public ExampleScores score(ExampleBlock block) {
            boolean[] correct = new boolean[block.size()];
            for (int i = 0; i < correct.length; i++) {
                correct[i] = ((pattern[block.label(i)] >> observation) & 1) == 1;
            }
            double[] zero = new double[block.size()];
            return new ExampleScores(zero, zero, zero, zero, correct);
        }
    }

    @Test
    void countsCorrectToIncorrectTransitionsAndRanksNeverLearnedHardest() {
        // The label picks the script; bit t is observation t.
        int[] pattern = {0b0101, 0b1111, 0b0000, 0b0011, 0b1010};
        List<KeyedBlock> blocks = new ArrayList<>();
        for (int b = 0; b < 2; b++) {
            ExampleBlock.Builder block = new ExampleBlock.Builder(io.efftrain.pipeline.data.FeatureDecoder
                    .pixelsToUnitRange(1));
            String[] ids = new String[pattern.length];
            for (int i = 0; i < pattern.length; i++) {
                block.add(i, new byte[] {(byte) i});
                ids[i] = b + "-" + i;
            }
            blocks.add(new KeyedBlock(ids, block.build()));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        JavaRDD<KeyedBlock> rdd = jsc.parallelize(blocks, 2).cache();
        ForgettingTracker tracker = new ForgettingTracker(rdd);
        for (int t = 0; t < 4; t++) {
            tracker.observe(jsc.broadcast(new ScriptedScorer(pattern, t)));
        }
        // 0101: right(t0) wrong(t1) right(t2) wrong(t3) -> 2 events; 1111 -> 0; never right -> 4 (observations);
        // 0011: right right wrong wrong -> 1; 1010: wrong right wrong right -> 1.
        double[] expected = {2, 0, 4, 1, 1};
        for (double[] counts : tracker.counts().collect()) {
            assertArrayEquals(expected, counts);
        }
        tracker.release();
    }
}
