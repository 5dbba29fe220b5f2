package io.efftrain.trainers.averaging;

import io.efftrain.trainers.nativecpu.NativeHelpers;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Networks kept alive between rounds in each JVM, by configuration. Building and initialising a network every
 * round would cost more than a short round's work; a network is used by one task at a time (borrow, release).
 */
public final class NetworkPool {
    private static final Map<String, ConcurrentLinkedDeque<MultiLayerNetwork>> IDLE = new ConcurrentHashMap<>();

    static {
        NativeHelpers.enableUnlessConfigured();
    }

    private NetworkPool() {
    }

    /** An idle network of this configuration, or a new one; the caller loads the parameters it needs. */
    public static MultiLayerNetwork borrow(String configurationJson) {
        MultiLayerNetwork net = IDLE.computeIfAbsent(configurationJson, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        if (net != null) {
            return net;
        }
        MultiLayerNetwork fresh = new MultiLayerNetwork(MultiLayerConfiguration.fromJson(configurationJson));
        fresh.init();
        return fresh;
    }

    /** Returns a network for reuse. */
    public static void release(String configurationJson, MultiLayerNetwork net) {
        IDLE.computeIfAbsent(configurationJson, k -> new ConcurrentLinkedDeque<>()).addFirst(net);
    }
}
