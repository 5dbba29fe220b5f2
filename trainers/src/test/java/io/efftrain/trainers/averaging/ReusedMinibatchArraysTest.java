package io.efftrain.trainers.averaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.network.Network;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Training steps copy their minibatch into arrays the network keeps from step to step; that must train exactly
 * as fresh arrays for every step do, through a shorter batch and the full batches after it.
 */
class ReusedMinibatchArraysTest {
    @Test
    void stepsOnReusedArraysTrainExactlyAsOnFreshOnes() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=mlp", "model.mlp.hidden=[16]",
                "train.optimizer.l2=0"));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        // Full batches, a short one (as the end of a data selection's pass gives) and full ones again.
        ExampleBlock block = FashionMnist.block(true, 40);
        BatchOrder full = new BatchOrder(3, 0, block.size(), 16);
        BatchOrder shorter = new BatchOrder(3, 0, block.size(), 8);
        List<BatchOrder> orders = List.of(full, full, shorter, full, full);
        Network reused = trainer.newNetwork();
        Network fresh = trainer.newNetwork();
        NetworkState.load(fresh, NetworkState.capture(reused));
        int[] counts = new int[orders.size()];
        for (int step = 0; step < counts.length; step++) {
            BatchOrder order = orders.get(step);
            MinibatchState batch = TrainRound.minibatchState(block, order, step, 10, 0, 3);
            counts[step] = batch.count();
            TrainRound.step(reused, batch);
            fresh.fit(TrainRound.toDataSet(TrainRound.minibatchState(block, order, step, 10, 0, 3)));
            assertArrayEquals(fresh.params().toFloatVector(), reused.params().toFloatVector(), 0f,
                    "parameters after step " + step);
        }
        assertArrayEquals(new int[] {16, 16, 8, 16, 16}, counts);
        assertEquals(fresh.score(), reused.score(), 0.0);
    }
}
