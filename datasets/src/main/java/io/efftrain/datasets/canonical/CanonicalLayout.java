package io.efftrain.datasets.canonical;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.not;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;
import static org.apache.spark.sql.functions.xxhash64;

import io.efftrain.pipeline.data.Columns;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.api.java.UDF2;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The one table layout every source is turned into and every later stage reads:
 * {@code id} (string, stable across reruns and sources), {@code label} (int), {@code features} (binary, uint8
 * per pixel, so Fashion-MNIST costs about one byte per pixel on disk) and {@code split} (train, test, ...).
 *
 * <p>The id is derived from the content alone (a hash of label and features), so the same image reached
 * through any source gets the same id; the n-th exact copy of an example gets the suffix {@code -n}, in source
 * order, so ids stay unique without hiding that the examples are copies.
 */
public final class CanonicalLayout {
    public static final String ID = Columns.ID;
    public static final String LABEL = Columns.LABEL;
    public static final String FEATURES = Columns.FEATURES;
    /**
     * Optional training-row columns the Spark ML estimators add (never part of a prepared table): a regression
     * target and a per-example loss weight, both float.
     */
    public static final String TARGET = "target";
    public static final String WEIGHT = "weight";
    public static final String SPLIT = Columns.SPLIT;

    /** Columns a source produces before ids are assigned. */
    public static final String SOURCE_ORDER = "source_order";
    public static final String CONTENT_HASH = "content_hash";

    /** The schema a source must produce: canonical columns without id, plus ordering and content hash. */
    public static final StructType SOURCE_SCHEMA = new StructType()
            .add(SOURCE_ORDER, DataTypes.LongType, false)
            .add(LABEL, DataTypes.IntegerType, false)
            .add(FEATURES, DataTypes.BinaryType, false)
            .add(SPLIT, DataTypes.StringType, false)
            .add(CONTENT_HASH, DataTypes.StringType, false);

    /** The canonical schema. */
    public static final StructType SCHEMA = new StructType()
            .add(ID, DataTypes.StringType, false)
            .add(LABEL, DataTypes.IntegerType, false)
            .add(FEATURES, DataTypes.BinaryType, false)
            .add(SPLIT, DataTypes.StringType, false);

    private CanonicalLayout() {
    }

    /**
     * Copies numbered on the driver at most: beyond this many rows of repeated content the numbering runs as a
     * Spark window instead (a source that is mostly copies).
     */
    static final int COPIES_NUMBERED_ON_DRIVER = 1_000_000;

    /**
     * Assigns ids to rows of {@link #SOURCE_SCHEMA} and returns the canonical columns: an example's id is its
     * content hash, and the n-th repeat of the same content (n counted in source order, so it means the same on
     * every rerun) gets {@code -n} appended. {@code source_order} must be unique and increase in the order the
     * source lists its examples (across splits).
     *
     * <p>Runs one Spark job now, to find the repeated contents, and returns a plan that assigns ids row by row
     * where the rows lie ({@link #numberCopies}).
     */
    public static Dataset<Row> assignIds(Dataset<Row> source) {
        return assignIds(source, COPIES_NUMBERED_ON_DRIVER);
    }

    /** As {@link #assignIds(Dataset)}, numbering at most {@code copiesOnDriver} rows of copies on the driver. */
    static Dataset<Row> assignIds(Dataset<Row> source, int copiesOnDriver) {
        return numberCopies(source, repeatedKeys(source, CONTENT_HASH), copiesOnDriver);
    }

    /**
     * The {@link #repeatKey}s of the values of {@code column} (a content hash, or an id that may be one) that occur
     * in more than one row: one small aggregation.
     */
    public static Set<Long> repeatedKeys(Dataset<Row> rows, String column) {
        return new HashSet<>(rows.groupBy(repeatKey(col(column)).as("_key")).count()
                .where(col("count").gt(1)).select("_key").as(Encoders.LONG()).collectAsList());
    }

    /**
     * The canonical columns with every id set to the content hash, with no job: the ids {@link #assignIds}
     * gives when no content repeats. A writer that finds repeated ids in what it wrote learns their keys
     * ({@link #repeatKey} of the id) and writes again through {@link #numberCopies}.
     */
    public static Dataset<Row> contentIds(Dataset<Row> source) {
        return source.withColumn(ID, col(CONTENT_HASH)).select(col(ID), col(LABEL), col(FEATURES), col(SPLIT));
    }

    /**
     * The key repeated contents are found by: a 64-bit hash of the content hash (or of an id that is one), cheaper
     * to shuffle and compare than the string. A rare collision only makes a few more rows candidates, which
     * {@link #numberCopies} then tells apart by the full hash.
     */
    public static Column repeatKey(Column contentHash) {
        return xxhash64(contentHash);
    }

    /**
     * As {@link #assignIds(Dataset)}, given the {@link #repeatKey}s of the contents that occur more than once (a
     * superset does no harm), so no job looks for them. Repeats are rare in real sources, so their rows' numbers
     * are worked out once, on the driver, and looked up; a plan that joined and windowed the repeats instead was
     * re-executed by every later action on the table.
     */
    public static Dataset<Row> numberCopies(Dataset<Row> source, Set<Long> repeatedKeys) {
        return numberCopies(source, repeatedKeys, COPIES_NUMBERED_ON_DRIVER);
    }

    private static Dataset<Row> numberCopies(Dataset<Row> source, Set<Long> repeatedKeys, int copiesOnDriver) {
        if (repeatedKeys.isEmpty()) {
            return contentIds(source);
        }
        return withCopiesNumbered(source, repeatedKeys, copiesOnDriver).select(col(ID), col(LABEL), col(FEATURES),
                col(SPLIT));
    }

    private static Dataset<Row> withCopiesNumbered(Dataset<Row> source, Set<Long> repeatedKeys, int copiesOnDriver) {
        JavaSparkContext context = JavaSparkContext.fromSparkContext(source.sparkSession().sparkContext());
        Broadcast<Set<Long>> keys = context.broadcast(repeatedKeys);
        UserDefinedFunction isCandidate = udf((UDF1<Long, Boolean>) key -> keys.value().contains(key),
                DataTypes.BooleanType);
        Column candidate = isCandidate.apply(repeatKey(col(CONTENT_HASH)));
        Dataset<Row> copies = source.where(candidate);
        List<Row> candidates = copies.select(CONTENT_HASH, SOURCE_ORDER).limit(copiesOnDriver + 1).collectAsList();
        if (candidates.size() > copiesOnDriver) {
            Column occurrence = row_number().over(Window.partitionBy(CONTENT_HASH).orderBy(SOURCE_ORDER)).minus(1);
            Dataset<Row> numbered = copies.withColumn("occurrence", occurrence)
                    .withColumn(ID, when(col("occurrence").equalTo(0), col(CONTENT_HASH))
                            .otherwise(concat(col(CONTENT_HASH), lit("-"),
                                    col("occurrence").cast(DataTypes.StringType))))
                    .drop("occurrence");
            return source.where(not(candidate)).withColumn(ID, col(CONTENT_HASH)).unionByName(numbered);
        }
        Map<String, List<Long>> orders = new HashMap<>();
        for (Row row : candidates) {
            orders.computeIfAbsent(row.getString(0), k -> new ArrayList<>()).add(row.getLong(1));
        }
        Map<Long, String> renamed = new HashMap<>();
        orders.forEach((hash, positions) -> {
            Collections.sort(positions);
            for (int n = 1; n < positions.size(); n++) {
                renamed.put(positions.get(n), hash + "-" + n);
            }
        });
        if (renamed.isEmpty()) {
            return source.withColumn(ID, col(CONTENT_HASH));
        }
        Broadcast<Map<Long, String>> ids = context.broadcast(renamed);
        UserDefinedFunction id = udf((UDF2<String, Long, String>) (hash, order) ->
                ids.value().getOrDefault(order, hash), DataTypes.StringType);
        return source.withColumn(ID, id.apply(col(CONTENT_HASH), col(SOURCE_ORDER)));
    }
}
