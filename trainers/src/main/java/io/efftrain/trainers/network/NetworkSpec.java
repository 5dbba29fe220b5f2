package io.efftrain.trainers.network;

import java.io.Serializable;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * A network's configuration as DL4J JSON with its kind: what workers rebuild networks from, and the key of the
 * per-JVM network pool.
 *
 * @param kind which DL4J class the JSON configures
 * @param json the DL4J configuration
 */
public record NetworkSpec(Kind kind, String json) implements Serializable {
    /** The two DL4J network classes. */
    public enum Kind {
        /** {@link MultiLayerNetwork}. */
        STACK,
        /** {@link ComputationGraph}. */
        GRAPH
    }

    public static NetworkSpec of(MultiLayerConfiguration configuration) {
        return new NetworkSpec(Kind.STACK, configuration.toJson());
    }

    public static NetworkSpec of(ComputationGraphConfiguration configuration) {
        return new NetworkSpec(Kind.GRAPH, configuration.toJson());
    }

    /** A freshly initialised network (seeded by the configuration's seed). */
    public Network build() {
        return switch (kind) {
            case STACK -> {
                MultiLayerNetwork net = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(json));
                net.init();
                yield Network.of(net);
            }
            case GRAPH -> {
                ComputationGraph graph = new ComputationGraph(ComputationGraphConfiguration.fromJson(json));
                graph.init();
                yield Network.of(graph);
            }
        };
    }
}
