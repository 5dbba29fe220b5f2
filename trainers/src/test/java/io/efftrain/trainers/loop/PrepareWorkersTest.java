package io.efftrain.trainers.loop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.ManualTicker;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.BlockSet;
import io.efftrain.trainers.averaging.BlockTask;
import io.efftrain.trainers.averaging.Combiner;
import io.efftrain.trainers.averaging.LocalBlockSet;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.PrepareWorkers;
import io.efftrain.trainers.averaging.TrainRound;
import io.efftrain.trainers.model.InputShape;
import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The workers are readied before the training clock starts: a JVM's one-time costs (network construction, the
 * vector kernels' compilation) must not count as training time, nor against a wall-clock budget.
 */
class PrepareWorkersTest {
    private static final EfftrainConfig CONFIG = ConfigLoader.load(null, List.of("model.type=mlp",
            "model.mlp.hidden=[8]", "train.batch-size=50", "train.steps-per-round=2", "train.budget.epochs=1"));

    /** Real blocks in this JVM; each task "takes" a scripted time on the injected clock and is recorded. */
    private static final class TimedBlocks implements BlockSet {
        private final LocalBlockSet blocks;
        private final ManualTicker ticker;
        private final List<String> tasks = new ArrayList<>();

        TimedBlocks(List<ExampleBlock> blocks, ManualTicker ticker) {
            this.blocks = new LocalBlockSet(blocks);
            this.ticker = ticker;
        }

        @Override
        public long examples() {
            return blocks.examples();
        }

        @Override
        public int blocks() {
            return blocks.blocks();
        }

        @Override
        public int[] blockSizes() {
            return blocks.blockSizes();
        }

        @Override
        public <S extends Serializable, R extends Serializable> R aggregate(S shared, BlockTask<S, R> task,
                                                                            Combiner<R> combine, R zero) {
            tasks.add(task.getClass().getSimpleName());
            ticker.advance(Duration.ofSeconds(task instanceof PrepareWorkers ? 100 : 10));
            return blocks.aggregate(shared, task, combine, zero);
        }

        @Override
        public void release() {
            blocks.release();
        }
    }

    @Test
    void everyWorkerIsReadiedOnceBeforeTheClockStarts() {
        Trainer trainer = new Trainer(CONFIG, new InputShape(1, 28, 28), 10);
        ManualTicker ticker = new ManualTicker(Duration.ZERO);
        TimedBlocks blocks = new TimedBlocks(List.of(FashionMnist.block(true, 200), FashionMnist.block(false, 200)),
                ticker);
        LoopSettings settings = new LoopSettings(50, 2, 0.02, CONFIG.train().schedule(), 0, 1, 0, List.of());
        TrainingState state = new TrainingLoop(blocks, trainer.spec(), settings, new Budget(CONFIG.train().budget()),
                ticker, List.of(), List.of()).fit(NetworkState.capture(trainer.newNetwork()));

        // 400 examples, 2 workers x 2 steps x 50 per round: one epoch in 2 rounds.
        assertEquals(List.of(PrepareWorkers.class.getSimpleName(), TrainRound.class.getSimpleName(),
                TrainRound.class.getSimpleName()), blocks.tasks);
        assertEquals(2, state.time().rounds());
        assertEquals(Duration.ofSeconds(20), state.time().elapsed(), "readying the workers is not training time");
    }

    @Test
    void readyingRunsAForwardPassOnEveryBlock() {
        Trainer trainer = new Trainer(CONFIG, new InputShape(1, 28, 28), 10);
        int readied = new LocalBlockSet(List.of(FashionMnist.block(true, 20), FashionMnist.block(false, 3)))
                .aggregate(0, new PrepareWorkers(trainer.spec()), Integer::sum, 0);
        assertEquals(2, readied);
    }
}
