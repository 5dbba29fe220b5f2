package io.efftrain.trainers.averaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.InputShape;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import io.efftrain.trainers.network.Network;
import org.junit.jupiter.api.Test;

/**
 * The Spark trainer with one worker, averaging after every step and plain SGD, is exactly single-JVM DL4J
 * training: broadcast, task, aggregation and averaging must not change a single step.
 */
class SparkMatchesSingleJvmTest {
    private static final int STEPS = 12;

    @Test
    void oneWorkerAveragingEveryStepEqualsPlainDl4j() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.lenet.conv1-channels=6",
                "model.lenet.conv2-channels=12", "model.lenet.dense-units=64", "train.optimizer.type=sgd",
                "train.optimizer.learning-rate=0.05", "train.optimizer.l2=0", "train.schedule=constant",
                "train.steps-per-round=1", "train.batch-size=32", "train.budget.epochs=null",
                "train.budget.wall-clock=null", "train.budget.steps=" + STEPS));
        ExampleBlock block = FashionMnist.block(true, 640);
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);

        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        SparkBlockSet blocks = new SparkBlockSet(jsc.parallelize(List.of(block), 1));
        TrainingState state = trainer.train(blocks, Ticker.system(), List.of(), List.of());
        blocks.release();
        assertEquals(STEPS, state.time().steps());
        assertEquals(STEPS, state.time().rounds());

        Network reference = trainer.newNetwork();
        float[] initial = reference.params().toFloatVector();
        BatchOrder order = new BatchOrder(config.run().seed(), 0, block.size(), 32);
        for (long step = 0; step < STEPS; step++) {
            reference.fit(TrainRound.minibatch(block, order, step, 10));
        }
        float[] expected = reference.params().toFloatVector();
        float[] actual = state.model().parameters();
        assertEquals(expected.length, actual.length);
        double maxChange = 0;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], 1e-5, "parameter " + i);
            maxChange = Math.max(maxChange, Math.abs(expected[i] - initial[i]));
        }
        assertTrue(maxChange > 1e-3, "training moved the parameters (max change " + maxChange + ")");
    }
}
