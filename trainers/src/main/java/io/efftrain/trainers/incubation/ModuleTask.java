package io.efftrain.trainers.incubation;

import io.efftrain.pipeline.config.ScheduleType;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.MinibatchState;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.network.NetworkSpec;
import java.io.Serializable;
import java.util.List;

/**
 * Everything one module task needs on its executor: the hybrid network and its starting parameters (meta stages
 * trained, the incubated stage fresh), which layers it trains, how, for how long, where it writes and where its
 * examples come from. Small apart from the parameters, which are those of one hybrid.
 *
 * @param module the incubated stage's index
 * @param hybrid the meta model with stage {@code module} in its target form
 * @param initial the hybrid's starting parameters
 * @param stageLayers the incubated stage's layers: trained, and saved at the end
 * @param heldLayers every other layer: gradients pass through them, their parameters never change
 * @param training the loop settings
 * @param directory the module's output directory (a path every executor can reach)
 * @param data the training examples
 */
public record ModuleTask(int module, NetworkSpec hybrid, ParameterState initial, List<String> stageLayers,
                         List<String> heldLayers, Training training, String directory, ExampleSource data)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    /**
     * How a module trains: one worker, the single-JVM loop.
     *
     * @param batchSize examples per step
     * @param stepsPerRound steps per loop round (the checkpoint granularity)
     * @param learningRate the schedule's peak
     * @param schedule the learning-rate schedule over the module's budget
     * @param warmup the warm-up fraction of the budget
     * @param seed the run seed
     * @param flopsPerExample estimated training FLOPs per example of the hybrid
     * @param workerAlgorithms minibatch algorithms (regularisers) besides holding the other stages
     * @param budget the module's budget
     * @param checkpointEveryRounds rounds between checkpoints
     */
    public record Training(int batchSize, int stepsPerRound, double learningRate, ScheduleType schedule,
                           double warmup, long seed, double flopsPerExample,
                           List<TrainingAlgorithm<MinibatchState>> workerAlgorithms, ModuleBudget budget,
                           int checkpointEveryRounds) implements Serializable {
        private static final long serialVersionUID = 1L;
    }
}
