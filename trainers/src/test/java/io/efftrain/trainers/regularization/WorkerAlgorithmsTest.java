package io.efftrain.trainers.regularization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.WorkerAlgorithms;
import io.efftrain.trainers.averaging.BatchOrder;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.MinibatchState;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.averaging.RoundPlan;
import io.efftrain.trainers.averaging.RoundResult;
import io.efftrain.trainers.averaging.TrainRound;
import io.efftrain.trainers.algorithms.cutmix.CutMix;
import io.efftrain.trainers.algorithms.labelsmoothing.LabelSmoothing;
import io.efftrain.trainers.algorithms.mixup.Mixup;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.schedule.LearningRatePlan;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class WorkerAlgorithmsTest {
    private static final InputShape SHAPE = new InputShape(1, 28, 28);
    private static final ExampleBlock BLOCK = FashionMnist.block(true, 256);

    private static MinibatchState batch(long step) {
        return TrainRound.minibatchState(BLOCK, new BatchOrder(3, 0, BLOCK.size(), 32), step, 10, 0, 3);
    }

    /** Every algorithm the registry can build. */
    static Stream<TrainingAlgorithm<MinibatchState>> registered() {
        EfftrainConfig all = ConfigLoader.load(null, List.of("train.regularization.label-smoothing=0.1",
                "train.regularization.mixup-alpha=0.2", "train.regularization.cutmix-alpha=1.0"));
        List<TrainingAlgorithm<MinibatchState>> algorithms = WorkerAlgorithms.of(all.train().regularization(), SHAPE);
        assertEquals(3, algorithms.size());
        return algorithms.stream();
    }

    @ParameterizedTest
    @MethodSource("registered")
    void survivesSerialisationAndActsOnlyAtBatchStartDeterministicallyKeepingLabelsDistributions(
            TrainingAlgorithm<MinibatchState> algorithm) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(algorithm);
        }
        @SuppressWarnings("unchecked")
        TrainingAlgorithm<MinibatchState> copy = (TrainingAlgorithm<MinibatchState>)
                new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray())).readObject();

        MinibatchState first = batch(5);
        MinibatchState second = batch(5);
        float[] before = first.labels().clone();
        for (Event event : Event.values()) {
            assertEquals(event == Event.BATCH_START, copy.match(event, first), event.name());
        }
        algorithm.apply(Event.BATCH_START, first);
        copy.apply(Event.BATCH_START, second);
        assertArrayEquals(first.features(), second.features(), "same seed, worker and step: same result");
        assertArrayEquals(first.labels(), second.labels());
        assertFalse(java.util.Arrays.equals(before, first.labels()), "labels changed");
        for (int i = 0; i < first.count(); i++) {
            float sum = 0;
            for (int c = 0; c < 10; c++) {
                sum += first.labels()[i * 10 + c];
            }
            assertEquals(1.0, sum, 1e-5, "row " + i + " is still a distribution");
        }
    }

    @Test
    void labelSmoothingMovesEpsilonTowardsUniform() {
        float[] labels = {0, 1, 0, 0, 1, 0, 0, 0, 0, 0};
        LabelSmoothing.apply(labels, 1, 10, 0.1);
        assertEquals(0.91f, labels[1], 1e-6);
        assertEquals(0.01f, labels[0], 1e-6);
    }

    @Test
    void mixupIsAConvexCombinationWithThePartner() {
        float[] x = {1, 2, 10, 20};
        float[] y = {1, 0, 0, 1};
        Mixup.apply(x, y, 2, 2, 2, 0.75, new int[] {1, 0});
        assertArrayEquals(new float[] {3.25f, 6.5f, 7.75f, 15.5f}, x, 1e-5f);
        assertArrayEquals(new float[] {0.75f, 0.25f, 0.25f, 0.75f}, y, 1e-6f);
    }

    @Test
    void cutMixPastesTheBoxAndMixesLabelsByItsArea() {
        float[] x = new float[2 * 16];
        java.util.Arrays.fill(x, 16, 32, 1f);
        float[] y = {1, 0, 0, 1};
        double area = CutMix.apply(x, y, 2, 1, 4, 4, 2, 1, 1, 2, 2, new int[] {1, 0});
        assertEquals(0.25, area, 1e-12);
        assertEquals(1f, x[1 * 4 + 1]);
        assertEquals(0f, x[0], "outside the box the image is unchanged");
        assertEquals(0f, x[16 + 1 * 4 + 1], "the partner's box came from the first image");
        assertArrayEquals(new float[] {0.75f, 0.25f, 0.25f, 0.75f}, y, 1e-6f);
    }

    @Test
    void theTrainingRoundRunsWorkerAlgorithms() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=mlp", "model.mlp.hidden=[16]"));
        Trainer trainer = new Trainer(config, SHAPE, 10);
        ParameterState start = NetworkState.capture(trainer.newNetwork());
        LearningRatePlan rates = new LearningRatePlan(0.01, config.train().schedule(), 0, 100);
        RoundResult plain = new LocalBlockSet(List.of(BLOCK)).aggregate(start, new TrainRound(trainer.spec(),
                new RoundPlan(0, 2, 32, rates, 3, List.of())), RoundResult::plus, RoundResult.empty());
        RoundResult smoothed = new LocalBlockSet(List.of(BLOCK)).aggregate(start, new TrainRound(trainer.spec(),
                new RoundPlan(0, 2, 32, rates, 3, WorkerAlgorithms.of(ConfigLoader.load(null,
                        List.of("train.regularization.label-smoothing=0.5")).train().regularization(), SHAPE))),
                RoundResult::plus, RoundResult.empty());
        assertNotEquals(plain.meanLoss(), smoothed.meanLoss(), 1e-6);
        assertTrue(smoothed.meanLoss() > 0);
    }
}
