package io.efftrain.trainers.incubation;

import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.TrainSettings;
import io.efftrain.trainers.WorkerAlgorithms;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.model.FlopEstimator;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.model.StagedGraphs.StagedGraph;
import io.efftrain.trainers.network.NetworkSpec;
import java.nio.file.Path;

/** Builds the module tasks of phase 2 on the driver. */
public final class ModuleTasks {
    private ModuleTasks() {
    }

    /** The directory of module {@code module} under the run's incubation directory. */
    public static Path directory(Path incubationDir, int module) {
        return incubationDir.resolve("module-" + module);
    }

    /**
     * The task of module {@code module}: its hybrid, starting from the trained meta model, trained with the
     * modules' budget and learning rate (incubation.modules.*) and train.*'s batch size, optimizer, schedule and
     * regularisers.
     */
    public static ModuleTask of(EfftrainConfig config, IncubationModels models, StagedGraph meta,
                                ParameterState trainedMeta, int module, InputShape input, Path incubationDir,
                                ExampleSource data) {
        EfftrainConfig phase = PhaseConfig.of(config, PhaseConfig.MODULES);
        TrainSettings train = phase.train();
        StagedGraph hybrid = models.hybrid(module);
        NetworkSpec spec = NetworkSpec.of(hybrid.configuration());
        ModuleTask.Training training = new ModuleTask.Training(train.batchSize(), train.stepsPerRound(),
                train.optimizer().learningRate(), train.schedule(), train.warmup(), config.run().seed(),
                FlopEstimator.trainingFlopsPerExample(spec, models.inputType()),
                WorkerAlgorithms.of(train.regularization(), input), ModuleBudget.of(train.budget()),
                config.incubation().moduleCheckpointEveryRounds());
        return new ModuleTask(module, spec, IncubationModels.hybridStart(hybrid, module, meta, trainedMeta),
                hybrid.stageLayers().get(module), hybrid.layersOutside(module), training,
                directory(incubationDir, module).toAbsolutePath().toString(), data);
    }
}
