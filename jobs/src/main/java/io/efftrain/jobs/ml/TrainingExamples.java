package io.efftrain.jobs.ml;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.ContentHash;
import io.efftrain.datasets.preprocess.FeatureStatisticsEstimator;
import io.efftrain.datasets.preprocess.NormalizationModel;
import io.efftrain.pipeline.config.NormalizationType;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.OptionalInt;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.util.MetadataUtils$;
import org.apache.spark.sql.Column;
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
 * <p>A regressor's rows carry their label as a float {@code target} column, standardised here (the model keeps
 * the label's mean and standard deviation and maps its predictions back); a weighted fit's rows carry a float
 * {@code weight} column. The training blocks pick both up.
 *
 * @param table the canonical rows, cached until the training blocks are built from them
 * @param featureSize values per example
 * @param classes the class count K (labels are 0..K-1); 1 for regression
 * @param normalization the normalisation fitted on these rows (the model keeps it for transform)
 * @param examples row count
 * @param labelMean regression: the label's mean, subtracted before training (0 for a classifier)
 * @param labelStd regression: the label's standard deviation, divided by before training (1 for a classifier)
 */
record TrainingExamples(Dataset<Row> table, int featureSize, int classes, NormalizationModel normalization,
                        long examples, double labelMean, double labelStd) {
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
        return of(data, featuresCol, labelCol, null, false, numClasses, normalization);
    }

    /**
     * As {@link #of(Dataset, String, String, OptionalInt, NormalizationType)}, with per-example weights and for
     * regression too.
     *
     * @param weightCol the weight column (finite numbers of at least 0, not all 0), or null when unweighted
     * @param regression whether the label is a real-valued target (else class indices)
     */
    static TrainingExamples of(Dataset<Row> data, String featuresCol, String labelCol, String weightCol,
                               boolean regression, OptionalInt numClasses, NormalizationType normalization) {
        OptionalInt known = regression ? OptionalInt.of(1)
                : numClasses.isPresent() ? numClasses : labelMetadataClasses(data.schema(), labelCol);
        int featureSize = featureSize(data, featuresCol);
        Dataset<Row> selected = weightCol == null ? data.select(labelCol, featuresCol)
                : data.select(functions.col(labelCol), functions.col(featuresCol), functions.col(weightCol));
        StructType schema = CANONICAL;
        if (regression) {
            schema = schema.add(CanonicalLayout.TARGET, DataTypes.FloatType, false);
        }
        if (weightCol != null) {
            schema = schema.add(CanonicalLayout.WEIGHT, DataTypes.FloatType, false);
        }
        JavaRDD<Row> rows = selected.javaRDD().zipWithIndex()
                .map(new ToCanonical(featuresCol, labelCol, weightCol, regression, featureSize, known.orElse(-1)));
        Dataset<Row> cached = data.sparkSession().createDataFrame(rows, schema)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<Column> aggregates = new ArrayList<>(List.of(functions.max(CanonicalLayout.LABEL)));
            if (regression) {
                // Weighted moments where there are weights: rows of weight 0 must not move the label's scale.
                Column w = weightCol == null ? functions.lit(1.0) : functions.col(CanonicalLayout.WEIGHT);
                Column t = functions.col(CanonicalLayout.TARGET).cast(DataTypes.DoubleType);
                aggregates.add(functions.sum(w.multiply(t)).divide(functions.sum(w)));
                aggregates.add(functions.sum(w.multiply(t).multiply(t)).divide(functions.sum(w)));
            }
            if (weightCol != null) {
                aggregates.add(functions.sum(CanonicalLayout.WEIGHT));
            }
            Row summary = BadRows.surface(() -> cached.agg(functions.count(functions.lit(1)),
                    aggregates.toArray(Column[]::new)).head());
            long examples = summary.getLong(0);
            if (examples == 0) {
                throw EfftrainException.badInput("the DataFrame has no rows; fit needs training examples.");
            }
            if (weightCol != null && !(summary.getDouble(summary.length() - 1) > 0)) {
                throw EfftrainException.badInput("weightCol '" + weightCol + "': every weight is 0, so no example "
                        + "counts; give the examples to learn from a weight above 0.");
            }
            if (regression) {
                double mean = summary.getDouble(2);
                double std = Math.sqrt(Math.max(0, summary.getDouble(3) - mean * mean));
                // A constant label: predict it (std 1 keeps the division defined).
                double scale = std > 0 ? std : 1;
                NormalizationModel fitted = new FeatureStatisticsEstimator(normalization, FeatureEncoding.FLOAT32,
                        featureSize).fit(cached);
                return new TrainingExamples(cached, featureSize, 1, fitted, examples, mean, scale);
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
                    featureSize).fit(cached);
            return new TrainingExamples(cached, featureSize, classes, fitted, examples, 0, 1);
        } catch (RuntimeException e) {
            cached.unpersist(false);
            throw e;
        }
    }

    /** How training decodes the float32 rows: the fitted normalisation applied on the fly. */
    FeatureDecoder decoder() {
        return normalization.decoder();
    }

    /** The rows training reads: the cached table, a regression target standardised on the fly. */
    Dataset<Row> trainingRows() {
        if (!Arrays.asList(table.columns()).contains(CanonicalLayout.TARGET)) {
            return table;
        }
        return table.withColumn(CanonicalLayout.TARGET, functions.col(CanonicalLayout.TARGET).minus(labelMean)
                .divide(labelStd).cast(DataTypes.FloatType));
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

    /**
     * One input row (label, features[, weight]) with its position to a canonical row (id, label, features[,
     * target][, weight]); throws on a bad row.
     */
    private static final class ToCanonical implements Function<Tuple2<Row, Long>, Row> {
        private static final long serialVersionUID = 1L;
        private final String featuresCol;
        private final String labelCol;
        private final String weightCol;
        private final boolean regression;
        private final int featureSize;
        private final int classes;

        ToCanonical(String featuresCol, String labelCol, String weightCol, boolean regression, int featureSize,
                    int classes) {
            this.featuresCol = featuresCol;
            this.labelCol = labelCol;
            this.weightCol = weightCol;
            this.regression = regression;
            this.featureSize = featureSize;
            this.classes = classes;
        }

        @Override
        public Row call(Tuple2<Row, Long> indexed) {
            Row row = indexed._1();
            long position = indexed._2();
            float target = regression ? target(row.get(0), position) : Float.NaN;
            int label = regression ? 0 : label(row.get(0), position);
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
            List<Object> cells = new ArrayList<>(5);
            // The id hashes what the example is, target and weight included, so copies that differ in them stay two.
            cells.add(ContentHash.of(label, encoded) + (regression || weightCol != null
                    ? "-" + Long.toHexString(position) : ""));
            cells.add(label);
            cells.add(encoded);
            if (regression) {
                cells.add(target);
            }
            if (weightCol != null) {
                cells.add(weight(row.get(2), position));
            }
            return RowFactory.create(cells.toArray());
        }

        private float target(Object value, long position) {
            if (value == null) {
                throw EfftrainException.badInput(rowProblem(labelCol, position, "is null; every training row needs a "
                        + "label"));
            }
            double v = ((Number) value).doubleValue();
            if (Double.isNaN(v) || Double.isInfinite(v) || Math.abs(v) > Float.MAX_VALUE) {
                throw EfftrainException.badInput(rowProblem(labelCol, position, "is " + v + "; a regression label "
                        + "must be a finite number in the float32 range"));
            }
            return (float) v;
        }

        private float weight(Object value, long position) {
            if (value == null) {
                throw EfftrainException.badInput(rowProblem(weightCol, position, "is null; every row needs a weight "
                        + "(fill nulls, with 1 for example, or filter the rows)"));
            }
            double v = ((Number) value).doubleValue();
            if (Double.isNaN(v) || Double.isInfinite(v) || v < 0 || v > Float.MAX_VALUE) {
                throw EfftrainException.badInput(rowProblem(weightCol, position, "is " + v + "; weights must be "
                        + "finite numbers of at least 0 (0 leaves the example out)"));
            }
            return (float) v;
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
