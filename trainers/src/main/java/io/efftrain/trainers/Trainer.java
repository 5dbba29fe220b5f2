package io.efftrain.trainers;

import io.efftrain.pipeline.budget.Budget;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.config.Precision;
import io.efftrain.pipeline.config.TrainSettings;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.pipeline.training.TrainingCallback;
import io.efftrain.trainers.averaging.BlockSet;
import io.efftrain.trainers.averaging.EvaluateBlock;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.checkpoint.Checkpoint;
import io.efftrain.trainers.engine.NativeHelpers;
import io.efftrain.trainers.loop.LoopSettings;
import io.efftrain.trainers.loop.TrainingLoop;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.FlopEstimator;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.model.Models;
import io.efftrain.trainers.network.Network;
import io.efftrain.trainers.network.NetworkSpec;
import io.efftrain.trainers.schedule.Schedules;
import java.util.List;
import java.util.Optional;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.slf4j.LoggerFactory;

/**
 * Trains and evaluates the configured model on block sets: the entry point jobs use. It builds the network,
 * runs the {@link TrainingLoop} and turns the final parameters back into a DL4J network.
 *
 * <p>Precision: train.precision sets the DL4J network data type. ND4J's CPU backend computes float16 and
 * bfloat16 without hardware support, so on CPUs they save parameter memory but not time; the parameter state
 * that is averaged, broadcast and checkpointed stays float32 (see {@link NetworkState}).
 */
public final class Trainer {
    private final NetworkSpec spec;
    private final InputShape input;
    private final EfftrainConfig config;
    /** The classifier's class count, or 0 where the network came ready-made and the loop cannot judge its loss. */
    private final int classes;

    public Trainer(EfftrainConfig config, InputShape input, int classes) {
        this(config, input, Models.build(config.model(), config.train().optimizer(), config.train().precision(),
                input, classes, config.run().seed()), classes);
    }

    /**
     * Trains the network {@code spec} instead of the one model.* describes (Deep Incubation's meta and assembled
     * models); everything else comes from the config as usual.
     */
    public Trainer(EfftrainConfig config, InputShape input, NetworkSpec spec) {
        this(config, input, spec, 0);
    }

    private Trainer(EfftrainConfig config, InputShape input, NetworkSpec spec, int classes) {
        NativeHelpers.enableUnlessConfigured();
        this.classes = classes;
        this.config = config;
        this.input = input;
        Precision precision = config.train().precision();
        this.spec = spec;
        if (precision != Precision.FLOAT32) {
            LoggerFactory.getLogger(Trainer.class).warn("train.precision = {}: the network computes in {}; on the CPU "
                    + "backend this is emulated in software (no faster than float32, often slower); parameters are "
                    + "averaged and checkpointed as float32", precision, Models.dataType(precision));
        }
    }

    /** The network's configuration (how workers rebuild it). */
    public NetworkSpec spec() {
        return spec;
    }

    /** A freshly initialised network, seeded by the run seed. */
    public Network newNetwork() {
        return spec.build();
    }

    /** Estimated training FLOPs per example. */
    public double flopsPerExample() {
        return FlopEstimator.trainingFlopsPerExample(spec,
                Models.inputType(config.model(), config.train().precision(), input));
    }

    /**
     * The backward FLOPs per example that a step with train.freezing's leading layers frozen skips: their
     * activation and weight gradients, two forward passes' worth. A graph computes them anyway (0).
     */
    public double frozenBackwardFlopsPerExample() {
        var layers = config.train().freezing().layers();
        if (layers.isEmpty() || spec.kind() != NetworkSpec.Kind.STACK) {
            return 0;
        }
        return (FlopEstimator.TRAINING_PER_FORWARD - 1) * FlopEstimator.leadingForwardFlopsPerExample(
                MultiLayerConfiguration.fromJson(spec.json()),
                Models.inputType(config.model(), config.train().precision(), input), layers.getAsInt());
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
        return train(train, evaluation, ticker, algorithms, callbacks, resume, Optional.empty());
    }

    /**
     * The full form, starting from {@code start} when given and not resuming (a fine-tuned model starts from
     * parameters trained elsewhere) instead of a fresh network.
     */
    public TrainingState train(BlockSet train, Optional<BlockSet> evaluation, Ticker ticker,
                               List<TrainingAlgorithm<TrainingState>> algorithms,
                               List<TrainingCallback<TrainingState>> callbacks, Optional<Checkpoint> resume,
                               Optional<ParameterState> start) {
        TrainSettings settings = config.train();
        double rate = settings.optimizer().learningRate();
        if (settings.referenceBatch().isPresent()) {
            rate = Schedules.linearScaling(rate, settings.referenceBatch().getAsLong(),
                    (long) settings.batchSize() * train.blocks());
        }
        LoopSettings loop = new LoopSettings(settings.batchSize(), settings.stepsPerRound(), rate,
                settings.schedule(), settings.warmup(), config.run().seed(), flopsPerExample(),
                WorkerAlgorithms.of(settings, config.sampling(), input), LoopSettings.explodedLoss(classes),
                frozenBackwardFlopsPerExample());
        TrainingLoop trainingLoop = new TrainingLoop(train, spec, loop, new Budget(settings.budget()), ticker,
                resume.map(Checkpoint::algorithms).orElse(algorithms), callbacks);
        if (evaluation.isPresent() && settings.evaluation().everyEpochs().isPresent()) {
            trainingLoop.evaluatingEvery(settings.evaluation().everyEpochs().getAsDouble(),
                    model -> evaluate(evaluation.get(), model));
        }
        // Checked here, on the driver, so a mismatch is one clear error rather than every worker's task failing.
        resume.map(Checkpoint::model).or(() -> start)
                .ifPresent(given -> NetworkState.requireSameLayout(newNetwork(), given));
        if (resume.isPresent()) {
            return trainingLoop.fit(resume.get().model(), resume.get().time(), resume.get().evaluations());
        }
        return trainingLoop.fit(start.orElseGet(() -> NetworkState.capture(newNetwork())));
    }

    /**
     * The driver-side algorithms the config asks for, with fresh state: weight averaging first (so the final
     * model is the average before anything reads it at FIT_END), then the stopping rules.
     */
    public List<TrainingAlgorithm<TrainingState>> driverAlgorithms() {
        return DriverAlgorithms.of(config.train(), config.sampling(), config.run().seed());
    }

    /** Accuracy and loss of {@code model} on {@code examples}, computed where the blocks live. */
    public EvaluationCounts evaluate(BlockSet examples, ParameterState model) {
        return examples.aggregate(model, new EvaluateBlock(spec), EvaluationCounts::plus, EvaluationCounts.empty());
    }

    /** A network holding {@code model}, for saving or inference. */
    public Network toNetwork(ParameterState model) {
        Network net = newNetwork();
        NetworkState.load(net, model);
        return net;
    }
}
