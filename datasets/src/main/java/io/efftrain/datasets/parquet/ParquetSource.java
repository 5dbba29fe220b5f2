package io.efftrain.datasets.parquet;

import static org.apache.spark.sql.functions.col;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.ContentHash;
import io.efftrain.datasets.source.LabelRange;
import io.efftrain.datasets.source.Listing;
import io.efftrain.datasets.source.SourceData;
import io.efftrain.pipeline.config.ParquetSourceSettings;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Reads existing Parquet tables (a data lake's), mapping configured columns onto the canonical ones. Column
 * types are checked against the file schema before any data moves; each value is checked on the executors,
 * and an error names the file and the row index inside it (Spark's {@code _metadata} columns).
 */
public final class ParquetSource {
    /** The optional column that carries the user's own ids instead of content-derived ones. */
    public static final String SOURCE_ID = "source_id";
    private static final int ROW_BITS = 40;

    private ParquetSource() {
    }

    public static SourceData read(SparkSession spark, ParquetSourceSettings parquet, Optional<List<Integer>> shape,
                                  FeatureEncoding encoding, LabelRange labels) {
        if (parquet.paths().train().isEmpty()) {
            throw EfftrainException.badConfig("data.source = parquet needs data.parquet.train (a Parquet file or "
                    + "table directory).");
        }
        var hadoop = spark.sparkContext().hadoopConfiguration();
        Map<String, List<String>> files = new LinkedHashMap<>();
        files.put("train", Listing.files(parquet.paths().train().get(), hadoop, "data.parquet.train"));
        parquet.paths().test().ifPresent(t -> files.put("test", Listing.files(t, hadoop, "data.parquet.test")));

        List<Dataset<Row>> parts = new ArrayList<>();
        for (Map.Entry<String, List<String>> split : files.entrySet()) {
            String location = split.getKey().equals("train") ? parquet.paths().train().get()
                    : parquet.paths().test().get();
            Dataset<Row> table = readParquet(spark, location);
            checkSchema(table.schema(), parquet, location);
            List<Column> columns = new ArrayList<>(List.of(
                    col(parquet.labelColumn()).cast(DataTypes.DoubleType).as("label"),
                    col(parquet.featuresColumn()).as("features"),
                    org.apache.spark.sql.functions.lit(split.getKey()).as("split"),
                    col("_metadata.file_path").as("file"), col("_metadata.row_index").as("row")));
            parquet.idColumn().ifPresent(id -> columns.add(col(id).cast(DataTypes.StringType).as(SOURCE_ID)));
            parts.add(table.select(columns.toArray(Column[]::new)));
        }
        Dataset<Row> all = parts.size() == 1 ? parts.get(0) : parts.get(0).unionByName(parts.get(1));
        // Source order is (file, row); file paths are few, so their ranks are computed on the driver.
        Map<String, Long> fileRank = new HashMap<>();
        all.select("file").distinct().collectAsList().stream().map(r -> r.getString(0)).sorted()
                .forEach(f -> fileRank.put(f, (long) fileRank.size()));

        StructType schema = parquet.idColumn().isPresent()
                ? CanonicalLayout.SOURCE_SCHEMA.add(SOURCE_ID, DataTypes.StringType, false)
                : CanonicalLayout.SOURCE_SCHEMA;
        // One length for every task: checked per task against its own first row, tables whose files disagree
        // (4 features here, 784 there) passed and failed later with an index out of bounds.
        int[] dims = shape.map(s -> new int[] {s.get(0), s.get(1), s.get(2)})
                .orElseGet(() -> new int[] {firstLength(all, parquet), 1, 1});
        Convert convert = new Convert(fileRank, encoding, labels, dims[0] * dims[1] * dims[2],
                shape.isPresent() ? "data.shape" : "the table's first row", parquet.idColumn().isPresent(),
                parquet.labelColumn(), parquet.featuresColumn());
        JavaRDD<Row> rows = all.javaRDD().mapPartitions(convert);
        return new SourceData(spark.createDataFrame(rows, schema), dims, encoding, Optional.empty(), files,
                files.containsKey("test"), false);
    }

    /** The table's schema is read here, so a file that is not Parquet is a bad-input error naming it. */
    private static Dataset<Row> readParquet(SparkSession spark, String location) {
        try {
            return spark.read().parquet(location);
        } catch (EfftrainException e) {
            throw e;
        } catch (Exception e) {
            // SparkException is checked in Java but thrown undeclared from Scala, hence Exception.
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = String.valueOf(root.getMessage()).lines().findFirst().orElse(root.toString());
            throw EfftrainException.badInput(location + ": cannot be read as Parquet (" + why + "). Is it a "
                    + "Parquet file or folder? For CSV use data.source = csv.", e);
        }
    }

    private static int firstLength(Dataset<Row> all, ParquetSourceSettings parquet) {
        List<Row> first = all.select("features").limit(1).collectAsList();
        if (first.isEmpty()) {
            throw EfftrainException.badInput(parquet.paths().train().get() + ": holds no rows; the source is empty.");
        }
        Object value = first.get(0).get(0);
        return value instanceof byte[] bytes ? bytes.length : first.get(0).getList(0).size();
    }

    private static void checkSchema(StructType schema, ParquetSourceSettings parquet, String location) {
        DataType label = type(schema, parquet.labelColumn(), location, "data.parquet.label-column");
        if (!(label instanceof NumericType)) {
            throw EfftrainException.badInput(location + ": label column '" + parquet.labelColumn() + "' has type "
                    + label.simpleString() + "; it must hold whole numbers (int or long).");
        }
        DataType features = type(schema, parquet.featuresColumn(), location, "data.parquet.features-column");
        boolean numericArray = features instanceof ArrayType array && array.elementType() instanceof NumericType;
        if (!numericArray && !(features instanceof BinaryType)) {
            throw EfftrainException.badInput(location + ": features column '" + parquet.featuresColumn()
                    + "' has type " + features.simpleString() + "; it must be an array of numbers or binary.");
        }
        parquet.idColumn().ifPresent(id -> {
            DataType idType = type(schema, id, location, "data.parquet.id-column");
            if (!(idType instanceof StringType) && !(idType instanceof IntegralType)) {
                throw EfftrainException.badInput(location + ": id column '" + id + "' has type "
                        + idType.simpleString() + "; ids must be strings or whole numbers.");
            }
        });
    }

    private static DataType type(StructType schema, String column, String location, String key) {
        if (!List.of(schema.fieldNames()).contains(column)) {
            throw EfftrainException.badInput(location + ": has no column '" + column + "' (columns: "
                    + String.join(", ", schema.fieldNames()) + "). Set " + key + ".");
        }
        return schema.apply(column).dataType();
    }

    /** Validates and encodes rows on an executor. */
    private record Convert(Map<String, Long> fileRank, FeatureEncoding encoding, LabelRange labels, int featureSize,
                           String featureSizeFrom, boolean userIds, String labelColumn, String featuresColumn)
            implements FlatMapFunction<Iterator<Row>, Row>, Serializable {
        @Override
        public Iterator<Row> call(Iterator<Row> rows) {
            List<Row> out = new ArrayList<>();
            int expected = featureSize;
            String expectedFrom = featureSizeFrom;
            while (rows.hasNext()) {
                Row row = rows.next();
                String file = row.getString(3);
                long index = row.getLong(4);
                String where = file + " row " + index;
                if (row.isNullAt(0)) {
                    throw EfftrainException.badInput(where + ", column '" + labelColumn + "': the label is null.");
                }
                int label = labels.check(row.getDouble(0), where + ", column '" + labelColumn + "'");
                if (row.isNullAt(1)) {
                    throw EfftrainException.badInput(where + ", column '" + featuresColumn + "': features are null.");
                }
                double[] values = row.get(1) instanceof byte[] bytes ? unsigned(bytes) : numbers(row.getList(1));
                if (values.length != expected) {
                    throw EfftrainException.badInput(where + ", column '" + featuresColumn + "': has " + values.length
                            + " values, expected " + expected + " (" + expectedFrom + "); every example of every "
                            + "split must have the same shape.");
                }
                for (int j = 0; j < values.length; j++) {
                    String rejected = encoding.rejects(values[j]);
                    if (rejected != null) {
                        throw EfftrainException.badInput(where + ", column '" + featuresColumn + "' value " + j + ": "
                                + values[j] + " is not " + rejected + ".");
                    }
                }
                byte[] features = encoding.encode(values);
                long order = (fileRank.get(file) << ROW_BITS) | index;
                String split = row.getString(2);
                out.add(userIds
                        ? RowFactory.create(order, label, features, split, ContentHash.of(label, features),
                                userId(row, where))
                        : RowFactory.create(order, label, features, split, ContentHash.of(label, features)));
            }
            return out.iterator();
        }

        private static String userId(Row row, String where) {
            if (row.isNullAt(5)) {
                throw EfftrainException.badInput(where + ": the id is null; every example needs an id.");
            }
            return row.getString(5);
        }

        private static double[] unsigned(byte[] bytes) {
            double[] out = new double[bytes.length];
            for (int i = 0; i < bytes.length; i++) {
                out[i] = bytes[i] & 0xFF;
            }
            return out;
        }

        private static double[] numbers(List<Object> list) {
            double[] out = new double[list.size()];
            for (int i = 0; i < out.length; i++) {
                Object v = list.get(i);
                out[i] = v == null ? Double.NaN : ((Number) v).doubleValue();
            }
            return out;
        }
    }
}
