package io.efftrain.pipeline.training;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.hadoop.util.ShutdownHookManager;

/**
 * A termination signal (SIGTERM from a scheduler, Ctrl-C) stops training at the next round boundary with a
 * checkpoint instead of killing it mid-round. The JVM runs shutdown hooks on such a signal, and Spark's own hook
 * stops the SparkContext, which would fail the round in flight ("SparkContext has been shutdown"). This hook
 * runs before Spark's (a higher priority in Hadoop's {@link ShutdownHookManager}, which Spark uses): it raises
 * {@link #requested()}, which the training loop checks after every round, and holds the shutdown until the
 * command has finished (its checkpoint written and its message printed), or {@link #GRACE_SECONDS} at most.
 */
public final class TerminationSignal {
    /** Spark stops its context at priority 50; higher runs first. */
    static final int PRIORITY = 60;
    /** The longest a signal waits for the running command: a round of the main job takes a few seconds. */
    static final long GRACE_SECONDS = 120;
    private static final AtomicBoolean REQUESTED = new AtomicBoolean();
    private static final AtomicBoolean INSTALLED = new AtomicBoolean();
    private static volatile CountDownLatch running;

    private TerminationSignal() {
    }

    /** Marks a command as running in this JVM (installing the hook once); pair with {@link #commandFinished}. */
    public static void commandStarted() {
        if (INSTALLED.compareAndSet(false, true)) {
            ShutdownHookManager.get().addShutdownHook(TerminationSignal::onShutdown, PRIORITY);
        }
        running = new CountDownLatch(1);
    }

    /** The command has finished, with whatever outcome: a pending shutdown may go on. */
    public static void commandFinished() {
        CountDownLatch latch = running;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** Whether the process was asked to terminate. */
    public static boolean requested() {
        return REQUESTED.get();
    }

    /** Raises the request as a signal would; for tests of the loop's reaction. */
    public static void request() {
        REQUESTED.set(true);
    }

    /** Clears a request raised by {@link #request()}; for tests. */
    public static void reset() {
        REQUESTED.set(false);
    }

    private static void onShutdown() {
        REQUESTED.set(true);
        CountDownLatch latch = running;
        if (latch == null) {
            return;
        }
        try {
            latch.await(GRACE_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
