package io.efftrain.trainers.model;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;

/** Builds graphs from a {@link StagedModel}, one form per stage, and records which layers each stage added. */
public final class StagedGraphs {
    private StagedGraphs() {
    }

    /**
     * A graph of a staged model.
     *
     * @param configuration the DL4J configuration
     * @param stageLayers for each stage, the names of the layers (vertices with parameters or not) it added
     * @param stageOutputs for each stage, its output vertex (the next stage's input)
     * @param forms the form of each stage
     */
    public record StagedGraph(ComputationGraphConfiguration configuration, List<List<String>> stageLayers,
                              List<String> stageOutputs, List<StageForm> forms) {
        /** The layers of every stage except {@code stage}. */
        public List<String> layersOutside(int stage) {
            List<String> out = new ArrayList<>();
            for (int s = 0; s < stageLayers.size(); s++) {
                if (s != stage) {
                    out.addAll(stageLayers.get(s));
                }
            }
            return out;
        }
    }

    /** Every stage in {@code form}: the target model or the meta model. */
    public static StagedGraph uniform(NeuralNetConfiguration.Builder base, StagedModel model, StageForm form) {
        List<StageForm> forms = new ArrayList<>();
        for (int s = 0; s < model.stages(); s++) {
            forms.add(form);
        }
        return build(base, model, forms);
    }

    /** The meta model with stage {@code stage} replaced by the target's: Deep Incubation's hybrid. */
    public static StagedGraph hybrid(NeuralNetConfiguration.Builder base, StagedModel model, int stage) {
        List<StageForm> forms = new ArrayList<>();
        for (int s = 0; s < model.stages(); s++) {
            forms.add(s == stage ? StageForm.TARGET : StageForm.META);
        }
        return build(base, model, forms);
    }

    /** The stages in the given forms, chained from the input to the last stage's output layer. */
    public static StagedGraph build(NeuralNetConfiguration.Builder base, StagedModel model, List<StageForm> forms) {
        if (forms.size() != model.stages()) {
            throw new IllegalArgumentException(model.stages() + " stages, " + forms.size() + " forms");
        }
        ComputationGraphConfiguration.GraphBuilder graph = model.begin(base);
        String last = StagedModel.INPUT;
        List<List<String>> stageLayers = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        for (int s = 0; s < forms.size(); s++) {
            Set<String> before = new LinkedHashSet<>(graph.getVertices().keySet());
            last = model.addStage(graph, s, forms.get(s), last);
            List<String> added = new ArrayList<>();
            graph.getVertices().forEach((name, vertex) -> {
                if (!before.contains(name) && vertex instanceof LayerVertex) {
                    added.add(name);
                }
            });
            stageLayers.add(List.copyOf(added));
            outputs.add(last);
        }
        graph.setOutputs(last);
        graph.setInputTypes(model.inputType());
        return new StagedGraph(graph.build(), List.copyOf(stageLayers), List.copyOf(outputs),
                List.copyOf(forms));
    }
}
