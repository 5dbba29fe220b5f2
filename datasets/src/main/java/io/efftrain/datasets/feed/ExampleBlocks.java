package io.efftrain.datasets.feed;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.pipeline.data.BlockMemory;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.data.FeatureDecoder;
import java.io.File;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;

/**
 * Turns a canonical table into one {@link ExampleBlock} per Spark partition, built on the executors: the
 * training data stays where Spark put it and never passes through the driver. A block above its
 * {@link BlockMemory} budget streams its features into a spill file in the executor's Spark local directory
 * (which Spark deletes when the executor stops), so a partition larger than the heap still becomes a block.
 */
public final class ExampleBlocks {
    private ExampleBlocks() {
    }

    /** Blocks of uint8 pixels scaled to [0, 1]. */
    public static JavaRDD<ExampleBlock> of(Dataset<Row> canonical, int partitions) {
        return canonical.select(CanonicalLayout.FEATURES).limit(1).collectAsList().stream().findFirst()
                .map(r -> of(canonical, partitions, FeatureDecoder.pixelsToUnitRange(((byte[]) r.get(0)).length)))
                .orElseGet(() -> of(canonical, partitions, FeatureDecoder.pixelsToUnitRange(0)));
    }

    /**
     * Blocks that depend on the table's rows alone, not on how its files split them: each example goes to the
     * block its id hashes to, and a block holds its examples in id order. A round-robin spread follows the
     * files' rows: the benchmark's pruned table, the same examples in two runs, was split 12.8 / 10.5 MB
     * between its two files in one and 13.1 / 10.1 MB in the other, so the same recipe trained on other blocks
     * and ended 0.001 apart. Block sizes vary by a few hundred examples in 60,000 (a hash, not a deal).
     *
     * @param canonical rows with at least {@code id}, {@code label} and {@code features}
     * @param partitions number of blocks (one per training worker)
     * @param decoder how the blocks decode and normalise features (from the table manifest)
     */
    public static JavaRDD<ExampleBlock> of(Dataset<Row> canonical, int partitions, FeatureDecoder decoder) {
        return of(canonical, partitions, decoder, BlockMemory.auto());
    }

    /** As {@link #of(Dataset, int, FeatureDecoder)}, each block within {@code memory}'s heap budget. */
    public static JavaRDD<ExampleBlock> of(Dataset<Row> canonical, int partitions, FeatureDecoder decoder,
                                           BlockMemory memory) {
        // The estimators' optional columns ride along: a regression target and a per-example weight.
        boolean target = Arrays.asList(canonical.columns()).contains(CanonicalLayout.TARGET);
        boolean weight = Arrays.asList(canonical.columns()).contains(CanonicalLayout.WEIGHT);
        List<Column> kept = new ArrayList<>(List.of(functions.col(CanonicalLayout.LABEL),
                functions.col(CanonicalLayout.FEATURES)));
        if (target) {
            kept.add(functions.col(CanonicalLayout.TARGET));
        }
        if (weight) {
            kept.add(functions.col(CanonicalLayout.WEIGHT));
        }
        List<Column> all = new ArrayList<>(kept);
        all.add(0, functions.col(CanonicalLayout.ID));
        return canonical.select(all.toArray(Column[]::new))
                .repartition(partitions, functions.col(CanonicalLayout.ID))
                .sortWithinPartitions(CanonicalLayout.ID)
                .select(kept.toArray(Column[]::new))
                .javaRDD()
                .mapPartitions(rows -> toBlock(rows, decoder, memory, target, weight));
    }

    /**
     * Blocks whose examples are in curriculum order: within each block, by {@code rank} (ascending or
     * descending), ties broken by id so the order is the same on every run. Rows are spread over the blocks
     * by their id's hash first (as in {@link #of(Dataset, int, FeatureDecoder)}), so every block holds easy and
     * hard examples alike, whatever the table's files.
     *
     * @param canonical rows with at least {@code id}, {@code label}, {@code features} and {@code rank}
     */
    public static JavaRDD<ExampleBlock> ordered(Dataset<Row> canonical, Column rank, boolean ascending, int partitions,
                                                FeatureDecoder decoder) {
        return ordered(canonical, rank, ascending, partitions, decoder, BlockMemory.auto());
    }

    /** As {@link #ordered(Dataset, Column, boolean, int, FeatureDecoder)}, each block within {@code memory}. */
    public static JavaRDD<ExampleBlock> ordered(Dataset<Row> canonical, Column rank, boolean ascending, int partitions,
                                                FeatureDecoder decoder, BlockMemory memory) {
        return canonical.withColumn("_rank", rank)
                .select(CanonicalLayout.ID, CanonicalLayout.LABEL, CanonicalLayout.FEATURES, "_rank")
                .repartition(partitions, functions.col(CanonicalLayout.ID))
                .sortWithinPartitions(ascending ? functions.col("_rank").asc() : functions.col("_rank").desc(),
                        functions.col(CanonicalLayout.ID))
                .select(CanonicalLayout.LABEL, CanonicalLayout.FEATURES)
                .javaRDD()
                .mapPartitions(rows -> toBlock(rows, decoder, memory, false, false));
    }

    /**
     * {@code memory} spilling into this executor's Spark local directory, which Spark deletes when the executor
     * stops (the JVM's temporary directory outside Spark).
     */
    public static BlockMemory onExecutor(BlockMemory memory) {
        SparkEnv env = SparkEnv.get();
        File[] dirs = env == null ? new File[0] : env.blockManager().diskBlockManager().localDirs();
        return dirs.length == 0 ? memory : memory.spillingTo(dirs[0].getPath());
    }

    /**
     * One block of rows (label, features[, target][, weight]).
     *
     * @param target whether the rows have a regression target after the features
     * @param weight whether they end in a per-example weight
     */
    private static Iterator<ExampleBlock> toBlock(Iterator<Row> rows, FeatureDecoder decoder, BlockMemory memory,
                                                  boolean target, boolean weight) {
        ExampleBlock.Builder block = new ExampleBlock.Builder(decoder, onExecutor(memory),
                SparkTaskGrant.forCurrentTask());
        while (rows.hasNext()) {
            Row row = rows.next();
            if (target || weight) {
                block.add(row.getInt(0), target ? row.getFloat(2) : Float.NaN,
                        weight ? row.getFloat(target ? 3 : 2) : 1f, row.getAs(1));
            } else {
                block.add(row.getInt(0), row.getAs(1));
            }
        }
        return block.size() == 0 ? Collections.emptyIterator() : List.of(block.build()).iterator();
    }
}
