package io.efftrain.trainers.averaging;

import io.efftrain.pipeline.data.ExampleBlock;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pages in the next shuffle window of a spilled block while the current one trains: the reads of the next
 * minibatches then come from memory, not from the disk, as with a data loader that decodes ahead. One daemon
 * thread per JVM does it; a block on the heap needs none.
 */
final class WindowPrefetch {
    private static final ExecutorService PAGER = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "efftrain-window-prefetch");
        thread.setDaemon(true);
        return thread;
    });

    private final ExampleBlock block;
    private final BatchOrder order;
    private int requested = -1;

    WindowPrefetch(ExampleBlock block, BatchOrder order) {
        this.block = block;
        this.order = order;
    }

    /** Requests the window after the one {@code step} reads, once per window. */
    void ahead(long step) {
        if (!block.spilled()) {
            return;
        }
        int[] next = order.nextWindow(step);
        if (next != null && next[0] != requested) {
            requested = next[0];
            PAGER.execute(() -> block.prefetch(next[0], next[1]));
        }
    }
}
