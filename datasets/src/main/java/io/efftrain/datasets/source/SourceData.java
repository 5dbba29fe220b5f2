package io.efftrain.datasets.source;

import io.efftrain.pipeline.data.FeatureEncoding;
import java.util.List;
import java.util.Optional;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a source hands to preparation: rows of {@link io.efftrain.datasets.canonical.CanonicalLayout#SOURCE_SCHEMA}
 * (still lazy: nothing is decoded until the table is written) and what the source knows about them.
 *
 * @param rows the examples, decoded on the executors
 * @param shape one example as [channels, height, width] ([n, 1, 1] for a flat vector of n numbers)
 * @param encoding how {@code features} are encoded
 * @param classNames class names the source itself defines (image sub-folders), if any
 * @param files the files read, grouped for fingerprints (group name to its files)
 * @param hasTestSplit the source brought its own test examples
 * @param limitsApplied the source already kept only the configured first N examples per split
 */
public record SourceData(Dataset<Row> rows, int[] shape, FeatureEncoding encoding,
                         Optional<List<String>> classNames, java.util.Map<String, List<String>> files,
                         boolean hasTestSplit, boolean limitsApplied) {
    /** Features per example. */
    public int featureSize() {
        return shape[0] * shape[1] * shape[2];
    }
}
