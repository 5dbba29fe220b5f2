package io.efftrain.trainers.incubation;

import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.model.Models;
import io.efftrain.trainers.model.StageForm;
import io.efftrain.trainers.model.StagedGraphs;
import io.efftrain.trainers.model.StagedGraphs.StagedGraph;
import io.efftrain.trainers.model.StagedModel;
import io.efftrain.trainers.network.Network;
import io.efftrain.trainers.network.NetworkSpec;
import java.util.List;
import java.util.function.Supplier;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;

/**
 * The graphs of Deep Incubation, all built from one {@link StagedModel}: the meta model, the K hybrids and the
 * target; and the two parameter moves between them (meta stages into a hybrid, trained stages into the target).
 */
public final class IncubationModels {
    private final StagedModel model;
    private final Supplier<NeuralNetConfiguration.Builder> base;

    /**
     * @param base fresh shared layer settings for each graph (DL4J builders are mutable, so one per graph)
     */
    public IncubationModels(StagedModel model, Supplier<NeuralNetConfiguration.Builder> base) {
        this.model = model;
        this.base = base;
    }

    /** The configured target (model.*) with meta stages of incubation.meta.blocks-per-stage blocks. */
    public static IncubationModels of(EfftrainConfig config, InputShape input, int classes) {
        StagedModel staged = Models.staged(config.model(), config.incubation().metaBlocksPerStage(), input, classes);
        if (staged.stages() < 3) {
            throw io.efftrain.pipeline.error.EfftrainException.badConfig("incubation: the target has "
                    + staged.stages() + " stages (model.resnet.stage-channels); Deep Incubation needs at least 3 "
                    + "modules, so give model.resnet.stage-channels at least 3 entries.");
        }
        return new IncubationModels(staged, () -> Models.base(config.train().optimizer(), config.train().precision(),
                config.model().kernels(), config.run().seed()));
    }

    /** How the graphs see one example. */
    public org.deeplearning4j.nn.conf.inputs.InputType inputType() {
        return model.inputType();
    }

    /** K. */
    public int stages() {
        return model.stages();
    }

    public StagedGraph meta() {
        return StagedGraphs.uniform(base.get(), model, StageForm.META);
    }

    public StagedGraph target() {
        return StagedGraphs.uniform(base.get(), model, StageForm.TARGET);
    }

    /** The meta model with stage {@code stage} in its target form. */
    public StagedGraph hybrid(int stage) {
        return StagedGraphs.hybrid(base.get(), model, stage);
    }

    /**
     * The hybrid's starting parameters: every meta stage as phase 1 trained it (BatchNorm statistics included),
     * the incubated stage freshly initialised, and a fresh updater state.
     */
    public static ParameterState hybridStart(StagedGraph hybrid, int stage, StagedGraph meta, ParameterState trainedMeta) {
        Network metaNet = NetworkSpec.of(meta.configuration()).build();
        NetworkState.load(metaNet, trainedMeta);
        Network net = NetworkSpec.of(hybrid.configuration()).build();
        for (int s = 0; s < meta.stageLayers().size(); s++) {
            if (s != stage) {
                StageParameters.capture(metaNet, meta.stageLayers().get(s)).loadInto(net);
            }
        }
        return NetworkState.capture(net);
    }

    /** The target holding the trained stages, one per module in stage order, with a fresh updater state. */
    public static ParameterState assemble(StagedGraph target, List<StageParameters> stages) {
        if (stages.size() != target.stageLayers().size()) {
            throw new IllegalArgumentException(target.stageLayers().size() + " stages, " + stages.size() + " trained");
        }
        Network net = NetworkSpec.of(target.configuration()).build();
        for (StageParameters stage : stages) {
            stage.loadInto(net);
        }
        return NetworkState.capture(net);
    }
}
