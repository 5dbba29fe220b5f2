package io.efftrain.trainers.averaging;

import io.efftrain.trainers.engine.NativeHelpers;
import io.efftrain.trainers.network.Network;
import io.efftrain.trainers.network.NetworkSpec;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.function.Function;

/**
 * Networks kept alive between rounds in each JVM, by configuration. Building and initialising a network every
 * round would cost more than a short round's work; a network is used by one task at a time (borrow, release).
 */
public final class NetworkPool {
    private static final Map<NetworkSpec, ConcurrentLinkedDeque<Network>> IDLE = new ConcurrentHashMap<>();

    static {
        NativeHelpers.enableUnlessConfigured();
    }

    private NetworkPool() {
    }

    /** An idle network of this configuration, or a new one; the caller loads the parameters it needs. */
    public static Network borrow(NetworkSpec spec) {
        Network net = IDLE.computeIfAbsent(spec, k -> new ConcurrentLinkedDeque<>()).pollFirst();
        return net != null ? net : spec.build();
    }

    /** Returns a network for reuse. */
    public static void release(NetworkSpec spec, Network net) {
        IDLE.computeIfAbsent(spec, k -> new ConcurrentLinkedDeque<>()).addFirst(net);
    }

    /**
     * What a task does with a network: binds the task to its GPU (when it was assigned one), borrows a network of
     * {@code spec}, runs {@code work} on it and returns it to the pool, also when {@code work} fails.
     */
    public static <R> R withNetwork(NetworkSpec spec, Function<Network, R> work) {
        TaskDevice.bindToAssignedGpu();
        Network net = borrow(spec);
        try {
            return work.apply(net);
        } finally {
            release(spec, net);
        }
    }
}
