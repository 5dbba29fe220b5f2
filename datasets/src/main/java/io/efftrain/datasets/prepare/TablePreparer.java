package io.efftrain.datasets.prepare;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.row_number;
import static org.apache.spark.sql.functions.udf;
import static org.apache.spark.sql.functions.when;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.canonical.SourceFingerprints;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.csv.CsvSource;
import io.efftrain.datasets.idx.IdxSource;
import io.efftrain.datasets.images.ImageFolderSource;
import io.efftrain.datasets.parquet.ParquetSource;
import io.efftrain.datasets.preprocess.ClassFilter;
import io.efftrain.datasets.preprocess.WrittenRowsAccumulator;
import io.efftrain.datasets.preprocess.NormalizationModel;
import io.efftrain.datasets.preprocess.StratifiedSplit;
import io.efftrain.datasets.source.LabelRange;
import io.efftrain.datasets.source.ReadFailures;
import io.efftrain.datasets.source.SourceData;
import io.efftrain.pipeline.config.DataSettings;
import io.efftrain.pipeline.config.SourceType;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.datasets.AtomicDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF3;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;

/**
 * Prepare: any configured source to one committed canonical table with its manifest. The steps are Spark
 * plans (sources decode on the executors); the driver sees only headers, file names, counts and statistics.
 *
 * <p>Order: read, keep the first N per split, take each content hash as the id, filter classes, carve out
 * validation/test, write to a temporary directory while counting every split and class and gathering the
 * training split's statistics (the same job), read the written ids back to find repeated contents (writing
 * again with copies numbered if there are any), write the manifest, rename into place.
 */
public final class TablePreparer {
    private TablePreparer() {
    }

    /**
     * @param seed decides the stratified split
     * @param table where the table is committed (local path or Hadoop URI)
     * @param overwrite replace an existing table there
     */
    public static TableManifest prepare(SparkSession spark, DataSettings data, long seed, String table,
                                        boolean overwrite) {
        try {
            return prepareOrFail(spark, data, seed, table, overwrite);
        } catch (Exception failure) {
            // SparkException is checked in Java but thrown undeclared from Scala, hence Exception.
            java.util.Optional<EfftrainException> known = ReadFailures.asBadInput(failure);
            if (known.isPresent()) {
                throw known.get();
            }
            throw failure instanceof RuntimeException runtime ? runtime : new IllegalStateException(failure);
        }
    }

    private static TableManifest prepareOrFail(SparkSession spark, DataSettings data, long seed, String table,
                                               boolean overwrite) {
        SourceData source = read(spark, data);
        Dataset<Row> rows = source.limitsApplied() ? source.rows() : firstPerSplit(source.rows(), data);
        boolean sourceIds = Arrays.asList(rows.columns()).contains(ParquetSource.SOURCE_ID);
        List<String> classNames = source.classNames().or(data::classNames).orElse(null);
        data.classes().ifPresent(keep -> requireKnownClasses(keep, classNames));
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        TableManifest[] manifest = new TableManifest[1];
        AtomicDirectory.commit(table, overwrite, hadoop, tmp -> {
            // Written once with every id its content hash, which is right unless a content repeats; the written
            // ids (one column, read back) tell. Only then is it written again with copies numbered: real
            // sources rarely repeat, and finding repeats first cost a cached copy of the source and a job.
            Dataset<Row> ided = sourceIds ? withSourceIds(rows) : CanonicalLayout.contentIds(rows);
            WrittenRowsAccumulator written = writeInto(spark, data, seed, source, ided, tmp);
            Set<Long> repeated = CanonicalTables.repeatedIdKeys(spark, tmp);
            if (!repeated.isEmpty()) {
                if (sourceIds) {
                    throw duplicateSourceIds(CanonicalTables.repeatedIds(spark, tmp, 3));
                }
                delete(tmp, hadoop);
                written = writeInto(spark, data, seed, source, CanonicalLayout.numberCopies(rows, repeated), tmp);
            }
            manifest[0] = describe(spark, data, source, classNames, written);
            manifest[0].writeInto(tmp, hadoop);
        });
        return manifest[0];
    }

    private static void requireKnownClasses(List<Integer> keep, List<String> classNames) {
        if (classNames == null) {
            return;
        }
        keep.stream().filter(c -> c >= classNames.size()).findFirst().ifPresent(c -> {
            throw EfftrainException.badConfig("data.classes names class " + c + ", but there are only "
                    + classNames.size() + " classes (0.." + (classNames.size() - 1) + ").");
        });
    }

    /**
     * Filters classes, carves out the held-out splits and writes the table's Parquet files into {@code dir},
     * returning what the write counted.
     */
    private static WrittenRowsAccumulator writeInto(SparkSession spark, DataSettings data, long seed,
                                                    SourceData source, Dataset<Row> canonical, String dir) {
        if (data.classes().isPresent()) {
            canonical = new ClassFilter(data.classes().get()).transform(canonical);
        }
        canonical = new StratifiedSplit(data.split().validation(), source.hasTestSplit() ? 0 : data.split().test(),
                seed).transform(canonical);
        WrittenRowsAccumulator written = new WrittenRowsAccumulator(source.encoding(), source.featureSize());
        spark.sparkContext().register(written, "rows prepare wrote");
        CanonicalTables.writeParquet(canonical.where(summarisedInto(written).apply(col(CanonicalLayout.SPLIT),
                col(CanonicalLayout.LABEL), col(CanonicalLayout.FEATURES))), dir);
        return written;
    }

    private static void delete(String dir, Configuration hadoop) {
        Path path = new Path(dir);
        try {
            path.getFileSystem(hadoop).delete(path, true);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + dir + " to write it again", e);
        }
    }

    /**
     * A filter that keeps every row and adds it to {@code written}: counts and statistics are gathered by the
     * write itself instead of reading the written table back. Non-deterministic, so Spark keeps it where it is, in
     * the write's own tasks.
     */
    private static UserDefinedFunction summarisedInto(WrittenRowsAccumulator written) {
        return udf((UDF3<String, Integer, byte[], Boolean>) (split, label, features) -> {
            written.add(new WrittenRowsAccumulator.WrittenRow(split, label, features));
            return true;
        }, DataTypes.BooleanType).asNondeterministic();
    }

    /**
     * The configured source as it is read, before ids, class filters and held-out splits: rows of
     * {@link CanonicalLayout#SOURCE_SCHEMA} with only the first N per split ({@code data.train-limit},
     * {@code data.test-limit}), still lazy. For exporting a source in another format.
     */
    public static SourceData source(SparkSession spark, DataSettings data) {
        SourceData source = read(spark, data);
        if (source.limitsApplied()) {
            return source;
        }
        return new SourceData(firstPerSplit(source.rows(), data), source.shape(), source.encoding(),
                source.classNames(), source.files(), source.hasTestSplit(), true);
    }

    private static SourceData read(SparkSession spark, DataSettings data) {
        boolean pixels = data.source() == SourceType.IDX || data.source() == SourceType.IMAGES;
        if (pixels && data.featureEncoding() != FeatureEncoding.UINT8) {
            throw EfftrainException.badConfig("data.feature-encoding = " + data.featureEncoding().name().toLowerCase()
                    + " applies to csv and parquet sources; " + data.source().name().toLowerCase() + " stores uint8 "
                    + "pixels. Remove the setting.");
        }
        LabelRange labels = data.classNames().map(n -> new LabelRange(n.size())).orElse(LabelRange.UNBOUNDED);
        return switch (data.source()) {
            case IDX -> IdxSource.read(spark, data, labels);
            case CSV -> CsvSource.read(spark, data.csv(), data.shape(), data.featureEncoding(), labels);
            case IMAGES -> ImageFolderSource.read(spark, data.images(), data.classNames(), data.trainLimit(),
                    data.testLimit(), Math.max(1, Math.min(data.recordsPerTask(), 2000)));
            case PARQUET -> ParquetSource.read(spark, data.parquet(), data.shape(), data.featureEncoding(), labels);
            case TABLE -> throw EfftrainException.badConfig("data.source = table names a table that is already "
                    + "prepared; there is nothing to prepare.");
        };
    }

    /** The first N examples of each split in source order: a slice for quick runs, not a sample. */
    private static Dataset<Row> firstPerSplit(Dataset<Row> rows, DataSettings data) {
        if (data.trainLimit().isEmpty() && data.testLimit().isEmpty()) {
            return rows;
        }
        Column position = row_number().over(Window.partitionBy(CanonicalLayout.SPLIT)
                .orderBy(CanonicalLayout.SOURCE_ORDER));
        Column limit = when(col(CanonicalLayout.SPLIT).equalTo("train"),
                lit(data.trainLimit().orElse(Long.MAX_VALUE))).otherwise(lit(data.testLimit().orElse(Long.MAX_VALUE)));
        return rows.withColumn("position", position).where(col("position").leq(limit)).drop("position");
    }

    private static Dataset<Row> withSourceIds(Dataset<Row> rows) {
        return rows.withColumnRenamed(ParquetSource.SOURCE_ID, CanonicalLayout.ID)
                .select(CanonicalLayout.ID, CanonicalLayout.LABEL, CanonicalLayout.FEATURES, CanonicalLayout.SPLIT);
    }

    private static EfftrainException duplicateSourceIds(Map<String, Long> repeated) {
        List<String> named = repeated.entrySet().stream().map(e -> "'" + e.getKey() + "' (" + e.getValue() + " rows)")
                .toList();
        return EfftrainException.badInput("data.parquet.id-column: ids must be unique, but " + String.join(", ",
                named) + " occur more than once. Fix the source, or set id-column = null to derive ids from "
                + "the content.");
    }

    private static TableManifest describe(SparkSession spark, DataSettings data, SourceData source,
                                          List<String> classNames, WrittenRowsAccumulator written) {
        CanonicalTables.Counts counts = new CanonicalTables.Counts(written.value().countsBySplit(),
                written.value().counts());
        if (!counts.bySplit().containsKey("train")) {
            throw EfftrainException.badInput("the source yields no training examples (" + source.files().get("train")
                    + "); check the source paths, data.classes and the limits.");
        }
        List<String> names = classNames;
        if (names == null) {
            names = IntStream.rangeClosed(0, counts.maxLabel()).mapToObj(Integer::toString).toList();
        } else if (data.classes().isPresent()) {
            names = new ClassFilter(data.classes().get()).names(names);
        }
        NormalizationModel normalization = written.normalization(data.normalization());
        return new TableManifest(TableManifest.LAYOUT_VERSION, data.source().name().toLowerCase(),
                source.shape().clone(), source.encoding(), new ArrayList<>(names), counts.bySplit(),
                counts.byClass(), data.normalization(), normalization.statistics(),
                SourceFingerprints.ofGroups(spark, source.files()), Map.of());
    }
}
