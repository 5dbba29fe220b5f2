package io.efftrain.trainers;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.TrainSettings;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.pipeline.training.TrainingCallback;
import io.efftrain.trainers.averaging.BlockSet;
import io.efftrain.trainers.averaging.EvaluateBlock;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.checkpoint.Checkpoint;
import io.efftrain.trainers.loop.LoopSettings;
import io.efftrain.trainers.loop.TrainingLoop;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.FlopEstimator;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.model.Models;
import io.efftrain.trainers.nativecpu.NativeHelpers;
import io.efftrain.trainers.schedule.Schedules;
import io.efftrain.trainers.ema.EmaAlgorithm;
import io.efftrain.trainers.swa.SwaAlgorithm;
import io.efftrain.trainers.stopping.PlateauStop;
import io.efftrain.trainers.stopping.TargetAccuracyStop;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Trains and evaluates the configured model on block sets: the entry point jobs use. It builds the network,
 * runs the {@link TrainingLoop} and turns the final parameters back into a DL4J network.
 */
public final class Trainer {
    private final MultiLayerConfiguration configuration;
    private final String modelJson;
    private final InputShape input;
    private final EfftrainConfig config;

    public Trainer(EfftrainConfig config, InputShape input, int classes) {
        NativeHelpers.enableUnlessConfigured();
        this.config = config;
        this.input = input;
        this.configuration = Models.build(config.model(), config.train().optimizer(), input, classes, config.run().seed());
        this.modelJson = configuration.toJson();
    }

    /** The network's configuration as DL4J JSON (how workers rebuild it). */
    public String modelJson() {
        return modelJson;
    }

    /** A freshly initialised network, seeded by the run seed. */
    public MultiLayerNetwork newNetwork() {
        MultiLayerNetwork net = new MultiLayerNetwork(configuration.clone());
        net.init();
        return net;
    }

    /** Estimated training FLOPs per example. */
    public double flopsPerExample() {
        return FlopEstimator.trainingFlopsPerExample(configuration, Models.inputType(config.model(), input));
    }

    /** Trains on {@code train} from a fresh network until the budget is used. */
    public TrainingState train(BlockSet train, Ticker ticker, List<TrainingAlgorithm<TrainingState>> algorithms,
                               List<TrainingCallback<TrainingState>> callbacks) {
        return train(train, ticker, algorithms, callbacks, Optional.empty());
    }

    /**
     * Trains on {@code train} until the budget is used, from {@code resume} if given (its model, training time
     * and algorithms replace the fresh ones) or from a fresh network.
     */
    public TrainingState train(BlockSet train, Ticker ticker, List<TrainingAlgorithm<TrainingState>> algorithms,
                               List<TrainingCallback<TrainingState>> callbacks, Optional<Checkpoint> resume) {
        return train(train, Optional.empty(), ticker, algorithms, callbacks, resume);
    }

    /**
     * The full form: also evaluates on {@code evaluation} during training when train.evaluation.every-epochs is
     * set.
     */
    public TrainingState train(BlockSet train, Optional<BlockSet> evaluation, Ticker ticker,
                               List<TrainingAlgorithm<TrainingState>> algorithms,
                               List<TrainingCallback<TrainingState>> callbacks, Optional<Checkpoint> resume) {
        TrainSettings settings = config.train();
        double rate = settings.optimizer().learningRate();
        if (settings.referenceBatch().isPresent()) {
            rate = Schedules.linearScaling(rate, settings.referenceBatch().getAsLong(),
                    (long) settings.batchSize() * train.blocks());
        }
        LoopSettings loop = new LoopSettings(settings.batchSize(), settings.stepsPerRound(), rate,
                settings.schedule(), settings.warmup(), config.run().seed(), flopsPerExample(),
                WorkerAlgorithms.of(settings.regularization(), input));
        TrainingLoop trainingLoop = new TrainingLoop(train, modelJson, loop, new Budget(settings.budget()), ticker,
                resume.map(Checkpoint::algorithms).orElse(algorithms), callbacks);
        if (evaluation.isPresent() && settings.evaluation().everyEpochs().isPresent()) {
            trainingLoop.evaluatingEvery(settings.evaluation().everyEpochs().getAsDouble(),
                    model -> evaluate(evaluation.get(), model));
        }
        if (resume.isPresent()) {
            return trainingLoop.fit(resume.get().model(), resume.get().time(), resume.get().evaluations());
        }
        return trainingLoop.fit(NetworkState.capture(newNetwork()));
    }

    /**
     * The driver-side algorithms the config asks for, with fresh state: weight averaging first (so the final
     * model is the average before anything reads it at FIT_END), then the stopping rules.
     */
    public List<TrainingAlgorithm<TrainingState>> driverAlgorithms() {
        List<TrainingAlgorithm<TrainingState>> rules = new java.util.ArrayList<>();
        config.train().weightAveraging().emaDecay().ifPresent(d -> rules.add(new EmaAlgorithm(d)));
        config.train().weightAveraging().swaStart().ifPresent(s -> rules.add(new SwaAlgorithm(s)));
        config.train().evaluation().targetAccuracy().ifPresent(t -> rules.add(new TargetAccuracyStop(t)));
        config.train().evaluation().patience().ifPresent(p -> rules.add(new PlateauStop(p)));
        return rules;
    }

    /** Accuracy and loss of {@code model} on {@code examples}, computed where the blocks live. */
    public EvaluationCounts evaluate(BlockSet examples, ParameterState model) {
        return examples.aggregate(model, new EvaluateBlock(modelJson), EvaluationCounts::plus, EvaluationCounts.empty());
    }

    /** A DL4J network holding {@code model}, for saving or inference. */
    public MultiLayerNetwork toNetwork(ParameterState model) {
        MultiLayerNetwork net = newNetwork();
        NetworkState.load(net, model);
        return net;
    }
}
