package io.efftrain.pipeline.config;

import io.efftrain.pipeline.data.BlockMemory;
import java.io.Serializable;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * How training reads a worker's share of the table: from the heap while it fits the memory budget, else from a
 * spill file on the worker's local disk, read in shuffle windows.
 *
 * @param memoryMb heap per worker block, in MiB, before its features spill to local disk (0 spills always), or
 *     empty for the automatic budget of {@link BlockMemory#auto()}
 * @param shuffleWindow examples per shuffle window of a spilled block: each epoch visits the block's windows in a
 *     fresh order and shuffles the examples within each, so reads stay local to a window of the file
 */
public record FeedSettings(OptionalLong memoryMb, int shuffleWindow) implements Serializable {
    static FeedSettings read(ConfigReader c) {
        Optional<Long> mb = c.optional("memory-mb", c::longValue);
        if (mb.isPresent() && mb.get() < 0) {
            throw c.invalid("memory-mb", "a whole number of MiB of at least 0 (0 always spills), or null for the "
                    + "automatic budget", String.valueOf(mb.get()));
        }
        return new FeedSettings(mb.map(OptionalLong::of).orElse(OptionalLong.empty()),
                c.positiveInt("shuffle-window"));
    }

    /** The budget as the block builders take it. */
    public BlockMemory blockMemory() {
        return (memoryMb.isPresent() ? BlockMemory.of(Math.multiplyExact(memoryMb.getAsLong(), 1L << 20))
                : BlockMemory.auto()).withShuffleWindow(shuffleWindow);
    }
}
