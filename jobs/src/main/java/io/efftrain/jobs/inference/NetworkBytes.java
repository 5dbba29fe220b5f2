package io.efftrain.jobs.inference;

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
public record NetworkBytes(byte[] bytes, boolean graph) implements Serializable {
    /** The network without its updater state. */
    public static NetworkBytes of(Model network) {
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
    public Model restore() {
        try {
            return graph
                    ? ModelSerializer.restoreComputationGraph(new ByteArrayInputStream(bytes), false)
                    : ModelSerializer.restoreMultiLayerNetwork(new ByteArrayInputStream(bytes), false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the network", e);
        }
    }

    /** The softmax output for a minibatch of flat, normalised features. */
    public static INDArray output(Model network, INDArray features) {
        if (network instanceof ComputationGraph g) {
            return g.outputSingle(false, features);
        }
        return ((MultiLayerNetwork) network).output(features, false);
    }

    /**
     * A ModelSerializer zip of either kind (a run's model.zip, with or without updater state), told apart by its
     * configuration: a ComputationGraph's has vertices.
     */
    public static NetworkBytes fromZip(byte[] zip) {
        boolean graph;
        try (java.util.zip.ZipInputStream in = new java.util.zip.ZipInputStream(new ByteArrayInputStream(zip))) {
            graph = false;
            for (java.util.zip.ZipEntry entry = in.getNextEntry(); entry != null; entry = in.getNextEntry()) {
                if (entry.getName().equals("configuration.json")) {
                    graph = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)
                            .contains("\"vertices\"");
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the model zip", e);
        }
        return of(new NetworkBytes(zip, graph).restore());
    }
}
