package io.efftrain.jobs.ml;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.ContentHash;
import io.efftrain.datasets.preprocess.FeatureStatisticsEstimator;
import io.efftrain.datasets.preprocess.NormalizationModel;
import io.efftrain.pipeline.config.NormalizationType;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.util.MetadataUtils$;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import scala.Tuple2;

/**
 * A user's DataFrame as efftrain's canonical training rows ({@code id}, {@code label}, {@code features} as float32
 * bytes), checked row by row, with the class count and the normalisation fitted on them: what {@code prepare}
 * produces from a file source, so that the rest of training (blocks, trainer, decoder) is {@code run}'s own code.
 *
 * @param table the canonical rows, cached until the training blocks are built from them
 * @param featureSize values per example
 * @param classes the class count K (labels are 0..K-1)
 * @param normalization the normalisation fitted on these rows (the model keeps it for transform)
 * @param examples row count
 */
record TrainingExamples(Dataset<Row> table, int featureSize, int classes, NormalizationModel normalization,
                        long examples) {
    /** Above this many classes an inferred class count is taken for a mistake (a label that is an id or a price). */
    static final int MAX_INFERRED_CLASSES = 10_000;

    private static final StructType CANONICAL = new StructType()
            .add(CanonicalLayout.ID, DataTypes.StringType, false)
            .add(CanonicalLayout.LABEL, DataTypes.IntegerType, false)
            .add(CanonicalLayout.FEATURES, DataTypes.BinaryType, false);

    /**
     * Converts and checks {@code data}; a bad row fails here with an {@link EfftrainException} (bad input) that
     * names the column and the row's 0-based position in the DataFrame.
     *
     * @param numClasses the class count the user gave, if any (then labels at or above it are errors)
     */
    static TrainingExamples of(Dataset<Row> data, String featuresCol, String labelCol, OptionalInt numClasses,
                               NormalizationType normalization) {
        OptionalInt known = numClasses.isPresent() ? numClasses : labelMetadataClasses(data.schema(), labelCol);
        int featureSize = featureSize(data, featuresCol);
        JavaRDD<Row> rows = data.select(labelCol, featuresCol).javaRDD().zipWithIndex()
                .map(new ToCanonical(featuresCol, labelCol, featureSize, known.orElse(-1)));
        Dataset<Row> table = data.sparkSession().createDataFrame(rows, CANONICAL)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            Row summary = BadRows.surface(() -> table.agg(functions.count(functions.lit(1)),
                    functions.max(CanonicalLayout.LABEL)).head());
            long examples = summary.getLong(0);
            if (examples == 0) {
                throw EfftrainException.badInput("the DataFrame has no rows; fit needs training examples.");
            }
            int maxLabel = summary.getInt(1);
            int classes = known.orElse(maxLabel + 1);
            if (known.isEmpty() && classes > MAX_INFERRED_CLASSES) {
                throw EfftrainException.badInput("labelCol '" + labelCol + "': the largest label is " + maxLabel
                        + ", which would make " + classes + " classes; labels must be class indices 0..K-1. If there "
                        + "really are that many classes, say so with setNumClasses.");
            }
            if (classes < 2) {
                throw EfftrainException.badInput("labelCol '" + labelCol + "': every label is 0, so there is one "
                        + "class; a classifier needs at least two (labels 0..K-1 with K >= 2).");
            }
            NormalizationModel fitted = new FeatureStatisticsEstimator(normalization, FeatureEncoding.FLOAT32,
                    featureSize).fit(table);
            return new TrainingExamples(table, featureSize, classes, fitted, examples);
        } catch (RuntimeException e) {
            table.unpersist(false);
            throw e;
        }
    }

    /** How training decodes the float32 rows: the fitted normalisation applied on the fly. */
    FeatureDecoder decoder() {
        return normalization.decoder();
    }

    void release() {
        table.unpersist(false);
    }

    /** A label column indexed by StringIndexer (or given ML attributes) knows its class count. */
    private static OptionalInt labelMetadataClasses(StructType schema, String labelCol) {
        scala.Option<Object> n = MetadataUtils$.MODULE$.getNumClasses(schema.apply(labelCol));
        return n.isDefined() ? OptionalInt.of((Integer) n.get()) : OptionalInt.empty();
    }

    /**
     * The feature count: a Vector's ML attributes (VectorAssembler writes them) or the first row; every other row
     * is held to it.
     */
    private static int featureSize(Dataset<Row> data, String featuresCol) {
        org.apache.spark.sql.types.StructField field = data.schema().apply(featuresCol);
        if (field.dataType().equals(SQLDataTypes.VectorType())) {
            int fromMetadata = AttributeGroup.fromStructField(field).size();
            if (fromMetadata > 0) {
                return fromMetadata;
            }
        }
        List<Row> first = data.select(featuresCol).limit(1).collectAsList();
        if (first.isEmpty()) {
            throw EfftrainException.badInput("the DataFrame has no rows; fit needs training examples.");
        }
        int size = FeatureValues.size(first.get(0).get(0));
        if (size < 0) {
            throw EfftrainException.badInput(rowProblem(featuresCol, 0, "is null"));
        }
        if (size == 0) {
            throw EfftrainException.badInput(rowProblem(featuresCol, 0, "has no values"));
        }
        return size;
    }

    static String rowProblem(String column, long row, String problem) {
        return String.format(Locale.ROOT, "column '%s', row %,d (counting from 0 in the DataFrame's order): the value "
                + "%s.", column, row, problem);
    }

    /** One input row (label, features) with its position to a canonical row; throws on a bad row. */
    private static final class ToCanonical implements Function<Tuple2<Row, Long>, Row> {
        private static final long serialVersionUID = 1L;
        private final String featuresCol;
        private final String labelCol;
        private final int featureSize;
        private final int classes;

        ToCanonical(String featuresCol, String labelCol, int featureSize, int classes) {
            this.featuresCol = featuresCol;
            this.labelCol = labelCol;
            this.featureSize = featureSize;
            this.classes = classes;
        }

        @Override
        public Row call(Tuple2<Row, Long> indexed) {
            Row row = indexed._1();
            long position = indexed._2();
            int label = label(row.get(0), position);
            float[] values = new float[featureSize];
            String problem = FeatureValues.read(row.get(1), featureSize, values, 0, "the first row has");
            if (problem != null) {
                throw EfftrainException.badInput(rowProblem(featuresCol, position, problem));
            }
            double[] wide = new double[featureSize];
            for (int j = 0; j < featureSize; j++) {
                wide[j] = values[j];
            }
            byte[] encoded = FeatureEncoding.FLOAT32.encode(wide);
            return RowFactory.create(ContentHash.of(label, encoded), label, encoded);
        }

        private int label(Object value, long position) {
            if (value == null) {
                throw EfftrainException.badInput(rowProblem(labelCol, position, "is null; every training row needs a "
                        + "label"));
            }
            double v = ((Number) value).doubleValue();
            if (Double.isNaN(v) || v != Math.rint(v)) {
                throw EfftrainException.badInput(rowProblem(labelCol, position, "is " + v + "; labels must be whole "
                        + "numbers (class indices 0..K-1)"));
            }
            if (v < 0 || (classes > 0 && v >= classes) || v > Integer.MAX_VALUE - 1) {
                throw EfftrainException.badInput(rowProblem(labelCol, position, "is " + (long) v + ", out of range: "
                        + "labels must be class indices 0.." + (classes > 0 ? Integer.toString(classes - 1) : "K-1")
                        + (classes > 0 ? " (numClasses or the column's metadata says " + classes + " classes)" : "")));
            }
            return (int) v;
        }
    }
}
