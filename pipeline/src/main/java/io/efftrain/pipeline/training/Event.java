package io.efftrain.pipeline.training;

/**
 * The points of the training loop where algorithms and callbacks run. The loop, in full:
 *
 * <pre>
 * FIT_START                                   driver, once (after a resume too)
 * while the budget is not exhausted:
 *     ROUND_START                             driver: the state for this round is fixed (learning-rate plan, ...)
 *     on every worker, in parallel, k times:
 *         BATCH_START                         worker: the minibatch is drawn; algorithms may change it, weigh
 *                                             its examples, ask for per-example losses, freeze layers
 *         forward, backward, update
 *         BATCH_END                           worker: the minibatch's loss (and per-example losses) are known
 *     (workers' parameters and updater state are averaged)
 *     ROUND_END                               driver: the averaged model and the new training time are known
 *     EPOCH_END                               driver, when the round crossed an epoch boundary
 *     EVAL_END                                driver, when an evaluation was due and has run (clock paused)
 *     (stop if an algorithm asked to)
 * FIT_END                                     driver, once, with the reason training stopped
 * </pre>
 *
 * Driver events see the whole training state; worker events run inside Spark tasks and see only the worker's
 * state, so an algorithm that hooks into them must be serialisable.
 */
public enum Event {
    FIT_START(Side.DRIVER),
    ROUND_START(Side.DRIVER),
    BATCH_START(Side.WORKER),
    BATCH_END(Side.WORKER),
    ROUND_END(Side.DRIVER),
    EPOCH_END(Side.DRIVER),
    EVAL_END(Side.DRIVER),
    FIT_END(Side.DRIVER);

    /** Where an event fires. */
    public enum Side {
        /** In the driver JVM, between averaging rounds. */
        DRIVER,
        /** Inside a worker task, around each minibatch. */
        WORKER
    }

    private final Side side;

    Event(Side side) {
        this.side = side;
    }

    public Side side() {
        return side;
    }
}
