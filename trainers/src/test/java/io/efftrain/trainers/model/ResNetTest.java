package io.efftrain.trainers.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.BlockSet;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.SparkBlockSet;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.network.Network;
import io.efftrain.trainers.network.NetworkSpec;
import java.time.Duration;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;

/** model.type = resnet builds a residual ComputationGraph that trains on one JVM and on Spark. */
class ResNetTest {
    private static final EfftrainConfig CONFIG = ConfigLoader.load(null, List.of("model.type=resnet",
            "model.resnet.stem-channels=8", "model.resnet.stage-channels=[8, 16]", "model.resnet.blocks-per-stage=1",
            "train.optimizer.type=adam", "train.optimizer.learning-rate=0.003", "train.batch-size=32",
            "train.steps-per-round=4", "train.budget.epochs=2", "train.budget.wall-clock=null",
            "train.schedule=constant"));
    private static final List<ExampleBlock> TEST = List.of(FashionMnist.block(false, 400));

    @Test
    void theGraphHasResidualBlocksWithIdentityAndProjectionShortcuts() {
        Trainer trainer = new Trainer(CONFIG, new InputShape(1, 28, 28), 10);
        assertEquals(NetworkSpec.Kind.GRAPH, trainer.spec().kind());
        ComputationGraphConfiguration conf = ((ComputationGraph) trainer.newNetwork().model()).getConfiguration();
        long adds = conf.getVertices().values().stream().filter(v -> v instanceof ElementWiseVertex).count();
        assertEquals(2, adds, "one residual block per stage");
        assertTrue(conf.getVertices().containsKey("s1b0projconv"), "the second stage projects its shortcut");
        assertTrue(!conf.getVertices().containsKey("s0b0projconv"), "the first stage keeps the identity");
        assertTrue(trainer.flopsPerExample() > 1e6, "convolutions are counted: " + trainer.flopsPerExample());
    }

    private static void trainsAndImproves(BlockSet train, BlockSet test) {
        Trainer trainer = new Trainer(CONFIG, new InputShape(1, 28, 28), 10);
        Network fresh = trainer.newNetwork();
        EvaluationCounts before = trainer.evaluate(test, NetworkState.capture(fresh));
        TrainingState trained = trainer.train(train, new ManualTicker(Duration.ofMillis(1)), List.of(), List.of());
        EvaluationCounts after = trainer.evaluate(test, trained.model());
        assertTrue(after.accuracy() > before.accuracy() + 0.2, before.accuracy() + " -> " + after.accuracy());
        assertTrue(after.meanLoss() < before.meanLoss(), before.meanLoss() + " -> " + after.meanLoss());
    }

    @Test
    void trainsOnOneJvm() {
        trainsAndImproves(new LocalBlockSet(List.of(FashionMnist.block(true, 1024))), new LocalBlockSet(TEST));
    }

    @Test
    void trainsOnSparkWithTwoWorkers() {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(LocalSpark.session().sparkContext());
        SparkBlockSet train = new SparkBlockSet(jsc.parallelize(FashionMnist.split(FashionMnist.block(true, 1024), 2), 2));
        SparkBlockSet test = new SparkBlockSet(jsc.parallelize(FashionMnist.split(TEST.get(0), 2), 2));
        try {
            trainsAndImproves(train, test);
        } finally {
            train.release();
            test.release();
        }
    }
}
