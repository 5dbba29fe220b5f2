package io.efftrain.trainers.averaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.InputShape;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

/** Two Spark workers averaging every few steps learn Fashion-MNIST well above chance (0.1) on a slice. */
class TwoWorkersLearnTest {
    @Test
    void twoWorkersLearnWellAboveChance() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.lenet.conv1-channels=8",
                "model.lenet.conv2-channels=16", "model.lenet.dense-units=64", "train.budget.epochs=2",
                "train.budget.wall-clock=null"));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        List<ExampleBlock> halves = FashionMnist.split(FashionMnist.block(true, 3000), 2);
        SparkBlockSet train = new SparkBlockSet(jsc.parallelize(halves, 2));
        assertEquals(2, train.blocks());
        TrainingState state = trainer.train(train, Ticker.system(), List.of(), List.of());
        train.release();

        SparkBlockSet test = new SparkBlockSet(jsc.parallelize(FashionMnist.split(FashionMnist.block(false, 1000), 2), 2));
        EvaluationCounts counts = trainer.evaluate(test, state.model());
        test.release();
        assertEquals(1000, counts.examples());
        assertTrue(counts.accuracy() > 0.6, "test accuracy " + counts.accuracy());
        assertTrue(state.lastRound().meanLoss() < 1.0, "final training loss " + state.lastRound().meanLoss());
        assertEquals(2, state.lastRound().workers());
    }
}
