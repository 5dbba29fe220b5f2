package io.efftrain.trainers.model;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;

/**
 * A network described as a chain of K stages, each available in two forms with the same interface (input and
 * output shape): the {@link StageForm#TARGET} stage of the model to train and a small {@link StageForm#META}
 * stand-in. Deep Incubation builds the target, the meta model and every hybrid from the same stage builders, so
 * a stage's layers have the same names in every graph that holds it in the same form, and parameters move
 * between graphs by layer name. Stage 0 owns the stem, the last stage owns the classifier head.
 */
public interface StagedModel {
    /** The number of stages, K. */
    int stages();

    /** A graph builder on {@code base} with the network input declared (its name is {@link #INPUT}). */
    ComputationGraphConfiguration.GraphBuilder begin(NeuralNetConfiguration.Builder base);

    /**
     * Adds stage {@code stage} in {@code form} after vertex {@code input}. Every vertex name must belong to this
     * stage alone (the same name in another stage would collide in a hybrid).
     *
     * @return the stage's output vertex (for the last stage: the output layer)
     */
    String addStage(ComputationGraphConfiguration.GraphBuilder graph, int stage, StageForm form, String input);

    /** How the network sees one example. */
    InputType inputType();

    /** The name of the network input vertex. */
    String INPUT = "input";
}
