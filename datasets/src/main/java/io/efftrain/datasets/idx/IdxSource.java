package io.efftrain.datasets.idx;

import io.efftrain.datasets.HadoopFiles;
import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.ContentHash;
import io.efftrain.pipeline.error.EfftrainException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import io.efftrain.datasets.source.LabelRange;
import io.efftrain.datasets.source.SourceData;
import io.efftrain.pipeline.config.DataSettings;
import io.efftrain.pipeline.config.IdxFiles;
import io.efftrain.pipeline.data.FeatureEncoding;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Reads image and label IDX file pairs with Spark: the driver validates the headers, the executors decode
 * ranges of records in parallel (each task streams its files from the start, since gzip cannot seek), so no
 * example passes through the driver.
 */
public final class IdxSource {
    private IdxSource() {
    }

    /**
     * One split's pair of files.
     *
     * @param split the split name written to the {@code split} column
     * @param images the images file
     * @param labels the labels file
     * @param limit keep only the first N records, or all
     */
    public record SplitFiles(String split, String images, String labels, OptionalLong limit) {
    }

    /** What the headers said, validated. */
    public record Header(int count, int[] imageShape) implements Serializable {
        /** Pixels per image. */
        public int featureSize() {
            return Arrays.stream(imageShape).reduce(1, Math::multiplyExact);
        }
    }

    /** Reads the configured IDX files (train, then test) as a source. */
    public static SourceData read(SparkSession spark, DataSettings data, LabelRange labels) {
        IdxFiles idx = data.idx();
        List<SplitFiles> splits = List.of(
                new SplitFiles("train", idx.trainImages(), idx.trainLabels(), data.trainLimit()),
                new SplitFiles("test", idx.testImages(), idx.testLabels(), data.testLimit()));
        Map<String, List<String>> files = new LinkedHashMap<>();
        files.put("train-images", List.of(idx.trainImages()));
        files.put("train-labels", List.of(idx.trainLabels()));
        files.put("test-images", List.of(idx.testImages()));
        files.put("test-labels", List.of(idx.testLabels()));
        Decoded decoded = decode(spark, splits, labels, data.recordsPerTask());
        int[] dims = decoded.imageShape();
        int[] shape = {dims.length > 2 ? dims[2] : 1, dims[0], dims[1]};
        return new SourceData(decoded.rows(), shape, FeatureEncoding.UINT8, Optional.empty(), files, true, true);
    }

    /**
     * Reads the splits, in the given order, into rows of {@link CanonicalLayout#SOURCE_SCHEMA}.
     *
     * @param classCount labels must lie in [0, classCount)
     * @param recordsPerTask records each task decodes
     */
    public static Dataset<Row> read(SparkSession spark, List<SplitFiles> splits, int classCount, int recordsPerTask) {
        return read(spark, splits, new LabelRange(classCount), recordsPerTask);
    }

    /** As {@link #read(SparkSession, List, int, int)}, with labels checked against {@code labels}. */
    public static Dataset<Row> read(SparkSession spark, List<SplitFiles> splits, LabelRange labels, int recordsPerTask) {
        return decode(spark, splits, labels, recordsPerTask).rows();
    }

    /** The rows and the images' shape (rows, columns[, channels]) that checking the headers yielded. */
    private record Decoded(Dataset<Row> rows, int[] imageShape) {
    }

    /**
     * As {@link #read(SparkSession, List, LabelRange, int)}, with the images' shape from the headers.
     */
    private static Decoded decode(SparkSession spark, List<SplitFiles> splits, LabelRange labels,
                                  int recordsPerTask) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        List<Chunk> chunks = new ArrayList<>();
        long order = 0;
        int[] firstShape = null;
        for (SplitFiles files : splits) {
            Header header = readHeader(files, hadoop);
            if (firstShape == null) {
                firstShape = header.imageShape();
            } else if (!Arrays.equals(firstShape, header.imageShape())) {
                throw EfftrainException.badInput(files.images() + ": images of split '" + files.split()
                        + "' have shape " + Arrays.toString(header.imageShape()) + ", but split '"
                        + splits.get(0).split() + "' has " + Arrays.toString(firstShape)
                        + ". Every split must have the same image shape.");
            }
            long n = Math.min(header.count(), files.limit().orElse(Long.MAX_VALUE));
            // The last chunk of a split reads both files on to their ends, checking lengths and gzip checksums
            // (a limit reads only the start, but corrupted data must never train), so the driver does not read
            // every file once more before the first task starts.
            for (long start = 0; start < Math.max(n, 1); start += recordsPerTask) {
                long end = Math.min(n, start + recordsPerTask);
                chunks.add(new Chunk(files.split(), files.images(), files.labels(), order + start, start, end,
                        labels, end == n));
            }
            order += n;
        }
        if (order == 0) {
            throw EfftrainException.badInput("the IDX files hold no records (" + splits + ").");
        }
        JavaRDD<Row> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(chunks, chunks.size())
                .flatMap(new DecodeChunk());
        return new Decoded(spark.createDataFrame(rows, CanonicalLayout.SOURCE_SCHEMA), firstShape);
    }

    /**
     * Opens both files of a split and checks magic numbers, shapes and that the counts agree. Lengths and gzip
     * checksums are checked by the decoding task that reads each split's files to their ends.
     */
    public static Header readHeader(SplitFiles files, Configuration hadoop) {
        HadoopFiles.status(files.images(), hadoop);
        HadoopFiles.status(files.labels(), hadoop);
        try (IdxFile images = IdxFile.open(files.images(), HadoopFiles.open(files.images(), hadoop));
             IdxFile labels = IdxFile.open(files.labels(), HadoopFiles.open(files.labels(), hadoop))) {
            if (labels.recordShape().length != 0) {
                throw EfftrainException.badInput(files.labels() + ": a label file has one dimension, but this one "
                        + "has records of shape " + Arrays.toString(labels.recordShape())
                        + ". Are the images and labels paths swapped?");
            }
            if (images.recordShape().length < 2) {
                throw EfftrainException.badInput(files.images() + ": an image file has 3 or 4 dimensions (count, "
                        + "rows, columns[, channels]), but this one has " + (images.recordShape().length + 1)
                        + ". Are the images and labels paths swapped?");
            }
            if (images.count() != labels.count()) {
                throw EfftrainException.badInput(String.format("%s has %d images but %s has %d labels; "
                        + "the two files of split '%s' must have one label per image.",
                        files.images(), images.count(), files.labels(), labels.count(), files.split()));
            }
            if (images.count() == 0) {
                throw EfftrainException.badInput(files.images() + ": holds no images (split '" + files.split() + "').");
            }
            return new Header(images.count(), images.recordShape());
        }
    }

    private record Chunk(String split, String images, String labels, long firstOrder, long start, long end,
                         LabelRange labelRange, boolean verifyToEnd) implements Serializable {
    }

    /** Decodes one chunk on an executor. */
    private static final class DecodeChunk implements org.apache.spark.api.java.function.FlatMapFunction<Chunk, Row> {
        private static final long serialVersionUID = 1L;

        @Override
        public Iterator<Row> call(Chunk chunk) {
            Configuration hadoop = new Configuration();
            List<Row> out = new ArrayList<>((int) (chunk.end() - chunk.start()));
            try (IdxFile images = IdxFile.open(chunk.images(), HadoopFiles.open(chunk.images(), hadoop));
                 IdxFile labels = IdxFile.open(chunk.labels(), HadoopFiles.open(chunk.labels(), hadoop))) {
                images.skip(chunk.start());
                labels.skip(chunk.start());
                for (long i = chunk.start(); i < chunk.end(); i++) {
                    byte[] pixels = new byte[images.recordSize()];
                    images.read(pixels);
                    int label = chunk.labelRange().check((long) labels.readLabel(), chunk.labels() + " record " + i);
                    out.add(RowFactory.create(chunk.firstOrder() + (i - chunk.start()), label, pixels,
                            chunk.split(), ContentHash.of(label, pixels)));
                }
                if (chunk.verifyToEnd()) {
                    images.verifyToEnd();
                    labels.verifyToEnd();
                }
            }
            return out.iterator();
        }
    }
}
