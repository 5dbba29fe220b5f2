package io.efftrain.datasets.feed;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.pipeline.data.ExampleBlock;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * Turns a canonical table into one {@link ExampleBlock} per Spark partition, built on the executors: the
 * training data stays where Spark put it and never passes through the driver.
 */
public final class ExampleBlocks {
    private ExampleBlocks() {
    }

    /**
     * @param canonical rows with at least {@code label} and {@code features}
     * @param partitions number of blocks (one per training worker)
     */
    public static JavaRDD<ExampleBlock> of(Dataset<Row> canonical, int partitions) {
        return canonical.select(CanonicalLayout.LABEL, CanonicalLayout.FEATURES)
                .repartition(partitions)
                .javaRDD()
                .mapPartitions(ExampleBlocks::toBlock);
    }

    private static Iterator<ExampleBlock> toBlock(Iterator<Row> rows) {
        ByteArrayOutputStream pixels = new ByteArrayOutputStream(1 << 20);
        int[] labels = new int[1024];
        int n = 0;
        int featureSize = -1;
        while (rows.hasNext()) {
            Row row = rows.next();
            byte[] features = row.getAs(1);
            if (featureSize < 0) {
                featureSize = features.length;
            } else if (features.length != featureSize) {
                throw new IllegalStateException("example with " + features.length + " features in a table whose "
                        + "first example has " + featureSize + "; the canonical layout needs one shape");
            }
            if (n == labels.length) {
                labels = Arrays.copyOf(labels, n * 2);
            }
            labels[n++] = row.getInt(0);
            pixels.writeBytes(features);
        }
        if (n == 0) {
            return Collections.emptyIterator();
        }
        return List.of(new ExampleBlock(Arrays.copyOf(labels, n), pixels.toByteArray(), featureSize)).iterator();
    }
}
