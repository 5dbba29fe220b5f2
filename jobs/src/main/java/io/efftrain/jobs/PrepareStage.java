package io.efftrain.jobs;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.canonical.SourceFingerprints;
import io.efftrain.datasets.idx.IdxSource;
import io.efftrain.pipeline.config.DataSettings;
import io.efftrain.pipeline.config.IdxFiles;
import io.efftrain.trainers.model.InputShape;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/** The prepare stage of {@code run}: IDX files to the canonical Parquet table, with counts and fingerprints. */
final class PrepareStage {
    static final String TRAIN = "train";
    static final String TEST = "test";

    private PrepareStage() {
    }

    static PreparedData run(SparkSession spark, DataSettings data, String tablePath) {
        IdxFiles idx = data.idx();
        List<IdxSource.SplitFiles> splits = List.of(
                new IdxSource.SplitFiles(TRAIN, idx.trainImages(), idx.trainLabels(), data.trainLimit()),
                new IdxSource.SplitFiles(TEST, idx.testImages(), idx.testLabels(), data.testLimit()));
        IdxSource.Header header = IdxSource.readHeader(splits.get(0), spark.sparkContext().hadoopConfiguration());
        Dataset<Row> source = IdxSource.read(spark, splits, data.classNames().size(), data.recordsPerTask());
        if (!CanonicalTables.exists(spark, tablePath)) {
            // A resumed run keeps the table its first attempt committed.
            CanonicalTables.write(CanonicalLayout.assignIds(source), tablePath);
        }

        Map<String, Long> bySplit = new TreeMap<>();
        Map<String, Map<Integer, Long>> byClass = new TreeMap<>();
        for (Row row : spark.read().parquet(tablePath)
                .groupBy(CanonicalLayout.SPLIT, CanonicalLayout.LABEL).count().collectAsList()) {
            String split = row.getString(0);
            bySplit.merge(split, row.getLong(2), Long::sum);
            byClass.computeIfAbsent(split, k -> new TreeMap<>()).put(row.getInt(1), row.getLong(2));
        }
        int[] dims = header.imageShape();
        InputShape shape = new InputShape(dims.length > 2 ? dims[2] : 1, dims[0], dims[1]);
        var fingerprints = SourceFingerprints.of(spark,
                List.of(idx.trainImages(), idx.trainLabels(), idx.testImages(), idx.testLabels()));
        return new PreparedData(tablePath, shape, bySplit, byClass, fingerprints);
    }
}
