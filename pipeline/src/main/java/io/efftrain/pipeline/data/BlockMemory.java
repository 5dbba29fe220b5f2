package io.efftrain.pipeline.data;

import java.io.Serializable;
import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkEnv;

/**
 * How much heap one worker's block may take before its features spill to local disk, decided where the block is
 * built. A fixed budget, or {@link #auto()}, sized from Spark's own split of the executor's heap: Spark keeps
 * {@code spark.memory.fraction} (default 0.6) of the heap above its reserved 300 MB for execution and storage and
 * leaves the rest, "user memory", to objects such as these blocks; half of that, shared by the executor's
 * concurrent tasks, is a block's budget. (A quarter of the heap failed on a 256 MB heap: the sort that feeds the
 * builder holds Spark's share at the same time.) Outside Spark: a quarter of the heap per processor.
 *
 * @param budgetBytes the fixed budget per block, or a negative number for the automatic one (a plain long: the
 *     value travels to the executors inside Spark closures, and OptionalLong is not serialisable)
 * @param spillDirectory where spill files go, or null for the JVM's temporary directory; Spark code passes the
 *     executor's local directory, which Spark removes when the executor stops
 * @param shuffleWindow examples per shuffle window of a spilled block (training reads a spilled block window by
 *     window, so its reads stay local to a part of the file)
 */
public record BlockMemory(long budgetBytes, String spillDirectory, int shuffleWindow)
        implements Serializable {
    /** The default shuffle window: 64 Ki examples, about 50 MB of 28x28 images. */
    public static final int DEFAULT_SHUFFLE_WINDOW = 1 << 16;
    private static final double AUTO_HEAP_SHARE = 0.25;
    private static final double USER_MEMORY_SHARE = 0.5;

    /** The automatic budget, spilling into the JVM's temporary directory. */
    public static BlockMemory auto() {
        return new BlockMemory(-1, null, DEFAULT_SHUFFLE_WINDOW);
    }

    /** A fixed budget per block, in bytes. */
    public static BlockMemory of(long budgetBytes) {
        if (budgetBytes < 0) {
            throw new IllegalArgumentException("a block's memory budget is at least 0 bytes, got " + budgetBytes);
        }
        return new BlockMemory(budgetBytes, null, DEFAULT_SHUFFLE_WINDOW);
    }

    /** The same budget with another shuffle window. */
    public BlockMemory withShuffleWindow(int examples) {
        if (examples <= 0) {
            throw new IllegalArgumentException("a shuffle window holds at least one example, got " + examples);
        }
        return new BlockMemory(budgetBytes, spillDirectory, examples);
    }

    /** Every block on the heap, whatever its size: the behaviour of builders made without a budget. */
    public static BlockMemory unlimited() {
        return of(Long.MAX_VALUE);
    }

    /** The same budget, spilling into {@code directory}. */
    public BlockMemory spillingTo(String directory) {
        return new BlockMemory(budgetBytes, directory, shuffleWindow);
    }

    /** The budget in bytes for one block built in this JVM. */
    public long bytesPerBlock() {
        if (budgetBytes >= 0) {
            return budgetBytes;
        }
        Runtime runtime = Runtime.getRuntime();
        SparkEnv env = SparkEnv.get();
        if (env == null) {
            return (long) (runtime.maxMemory() * AUTO_HEAP_SHARE / Math.max(1, runtime.availableProcessors()));
        }
        SparkConf conf = env.conf();
        long reserved = conf.getLong("spark.testing.reservedMemory", 300L << 20);
        double fraction = conf.getDouble("spark.memory.fraction", 0.6);
        int tasks = Math.max(1, Math.min(runtime.availableProcessors(),
                conf.getInt("spark.executor.cores", runtime.availableProcessors())));
        return (long) (Math.max(0, runtime.maxMemory() - reserved) * (1 - fraction) * USER_MEMORY_SHARE / tasks);
    }

    /** The directory spill files go to. */
    public Path spillPath() {
        return Path.of(spillDirectory != null ? spillDirectory : System.getProperty("java.io.tmpdir"));
    }
}
