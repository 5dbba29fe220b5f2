package io.efftrain.jobs;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.canonical.TableManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A committed canonical table, for notebooks: the rows as DataFrames and the manifest's counts as small
 * DataFrames (read from the manifest, so counting costs no pass over the data).
 */
public final class PreparedTable {
    private final SparkSession spark;
    private final String uri;
    private final TableManifest manifest;

    private PreparedTable(SparkSession spark, String uri, TableManifest manifest) {
        this.spark = spark;
        this.uri = uri;
        this.manifest = manifest;
    }

    static PreparedTable open(SparkSession spark, String uri) {
        return new PreparedTable(spark, uri, TableManifest.read(uri, spark.sparkContext().hadoopConfiguration()));
    }

    /** Where the table is (a URI). */
    public String uri() {
        return uri;
    }

    /** The table's manifest: shape, encoding, class names, counts, normalisation statistics, sources. */
    public TableManifest manifest() {
        return manifest;
    }

    /** Every row: {@code id, label, features, split}. */
    public Dataset<Row> table() {
        return spark.read().parquet(uri);
    }

    /** The rows of one split ({@code train}, {@code validation} or {@code test}). */
    public Dataset<Row> split(String name) {
        return CanonicalTables.readSplit(spark, uri, name);
    }

    /** Examples per split: columns {@code split, examples}. */
    public Dataset<Row> countsBySplit() {
        List<Row> rows = new ArrayList<>();
        manifest.countsBySplit().forEach((split, n) -> rows.add(RowFactory.create(split, n)));
        return spark.createDataFrame(rows, new StructType()
                .add(CanonicalLayout.SPLIT, DataTypes.StringType, false)
                .add("examples", DataTypes.LongType, false));
    }

    /** Examples per split and class: columns {@code split, label, class_name, examples}. */
    public Dataset<Row> countsByClass() {
        List<Row> rows = new ArrayList<>();
        List<String> names = manifest.classNames();
        for (Map.Entry<String, Map<Integer, Long>> split : manifest.countsByClass().entrySet()) {
            split.getValue().forEach((label, n) -> rows.add(RowFactory.create(split.getKey(), label,
                    label < names.size() ? names.get(label) : null, n)));
        }
        return spark.createDataFrame(rows, new StructType()
                .add(CanonicalLayout.SPLIT, DataTypes.StringType, false)
                .add(CanonicalLayout.LABEL, DataTypes.IntegerType, false)
                .add("class_name", DataTypes.StringType, true)
                .add("examples", DataTypes.LongType, false));
    }
}
