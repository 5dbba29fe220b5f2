package io.efftrain.jobs.ml;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A trained network as DL4J ModelSerializer bytes (what {@code efftrain run} saves as model.zip, without the
 * updater state, which inference never reads), with the kind of network it is: ModelSerializer needs to be told
 * whether to restore a {@link MultiLayerNetwork} (mlp, lenet) or a {@link ComputationGraph} (resnet).
 *
 * @param bytes the ModelSerializer zip
 * @param graph whether it holds a ComputationGraph
 */
record NetworkBytes(byte[] bytes, boolean graph) implements Serializable {
    static NetworkBytes of(Model network) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ModelSerializer.writeModel(network, out, false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the trained network", e);
        }
        if (!(network instanceof MultiLayerNetwork) && !(network instanceof ComputationGraph)) {
            throw new IllegalArgumentException("not a DL4J network: " + network.getClass().getName());
        }
        return new NetworkBytes(out.toByteArray(), network instanceof ComputationGraph);
    }

    /** A fresh copy of the network: DL4J networks are not safe to share between threads. */
    Model restore() {
        try {
            return graph
                    ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false)
                    : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the network", e);
        }
    }

    /** The softmax output for a minibatch of flat, normalised features. */
    static INDArray output(Model network, INDArray features) {
        if (network instanceof ComputationGraph g) {
            return g.outputSingle(false, features);
        }
        return ((MultiLayerNetwork) network).output(features, false);
    }
}
