package io.efftrain.trainers.incubation;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.run.RunDirectory;
import io.efftrain.trainers.network.Network;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The parameters of some layers of a graph, by layer name: what moves a stage between the meta model, a hybrid
 * and the assembled target. A layer's parameters include BatchNorm's running mean and variance, which DL4J keeps
 * among the parameters, so they move too.
 *
 * @param layers layer name to that layer's parameters, flattened in DL4J's order
 */
public record StageParameters(Map<String, float[]> layers) implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Copies the named layers' parameters out of {@code net} (a graph); layers without parameters are skipped. */
    public static StageParameters capture(Network net, List<String> names) {
        ComputationGraph graph = graph(net);
        Map<String, float[]> out = new LinkedHashMap<>();
        for (String name : names) {
            Layer layer = layer(graph, name);
            if (layer.numParams() > 0) {
                out.put(name, layer.params().toFloatVector());
            }
        }
        return new StageParameters(Map.copyOf(out));
    }

    /** Overwrites the same-named layers of {@code net}; a missing layer or a size mismatch is an error. */
    public void loadInto(Network net) {
        ComputationGraph graph = graph(net);
        for (Map.Entry<String, float[]> e : layers.entrySet()) {
            INDArray view = layer(graph, e.getKey()).params();
            if (view.length() != e.getValue().length) {
                throw new IllegalArgumentException("layer " + e.getKey() + " has " + view.length()
                        + " parameters, the stage " + e.getValue().length + ": they are different stage forms");
            }
            view.assign(Nd4j.createFromArray(e.getValue()).castTo(view.dataType()).reshape(view.shape()));
        }
    }

    /** Whether both hold the same layers with bit-identical parameters. */
    public boolean sameAs(StageParameters other) {
        if (!layers.keySet().equals(other.layers.keySet())) {
            return false;
        }
        return layers.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), other.layers.get(e.getKey())));
    }

    /** The number of parameters. */
    public long count() {
        return layers.values().stream().mapToLong(p -> p.length).sum();
    }

    /** Writes to {@code file} through a temporary file and a rename. */
    public void save(Path file) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise stage parameters for " + file, e);
        }
        RunDirectory.writeAtomically(file, bytes.toByteArray());
    }

    /** Reads what {@link #save} wrote. */
    public static StageParameters load(Path file) {
        try (InputStream raw = Files.newInputStream(file); ObjectInputStream in = new ObjectInputStream(raw)) {
            return (StageParameters) in.readObject();
        } catch (IOException | ClassNotFoundException | ClassCastException e) {
            throw EfftrainException.badInput(file + ": stage parameters cannot be read (" + e + "); the run "
                    + "directory is damaged or from another efftrain version. Start a fresh run.", e);
        }
    }

    private static ComputationGraph graph(Network net) {
        if (!(net.model() instanceof ComputationGraph graph)) {
            throw new IllegalArgumentException("stages live in ComputationGraphs, not " + net.model().getClass());
        }
        return graph;
    }

    private static Layer layer(ComputationGraph graph, String name) {
        Layer layer = graph.getLayer(name);
        if (layer == null) {
            throw new IllegalArgumentException("the graph has no layer " + name);
        }
        return layer;
    }
}
