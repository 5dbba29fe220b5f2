package io.efftrain.datasets.csv;

import io.efftrain.datasets.HadoopFiles;
import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.ContentHash;
import io.efftrain.datasets.source.LabelRange;
import io.efftrain.datasets.source.Listing;
import io.efftrain.datasets.source.SourceData;
import io.efftrain.pipeline.config.CsvSettings;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Reads CSV files with a header line. The driver reads only the headers (to check the columns of every file
 * against the first before any data moves); each file is then parsed by one executor task, line by line, so an
 * error can name the file, the line and the column. A directory of part files is read in parallel.
 */
public final class CsvSource {
    /** Bits of {@code source_order} for a line's byte offset in its file; the file's index goes above them. */
    private static final int OFFSET_BITS = 40;
    /** A file is parsed by several tasks, each a byte range of at least this size, as Spark splits text files. */
    private static final long MIN_RANGE_BYTES = 16L << 20;

    private CsvSource() {
    }

    /**
     * @param shape [channels, height, width] of one example, or empty for a flat vector
     * @param labels the allowed label range
     */
    public static SourceData read(SparkSession spark, CsvSettings csv, Optional<List<Integer>> shape,
                                  FeatureEncoding encoding, LabelRange labels) {
        return read(spark, csv, shape, encoding, labels, MIN_RANGE_BYTES);
    }

    /** As the public read, with files split into byte ranges of at least {@code minRangeBytes} (tests use tiny). */
    static SourceData read(SparkSession spark, CsvSettings csv, Optional<List<Integer>> shape,
                           FeatureEncoding encoding, LabelRange labels, long minRangeBytes) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        if (csv.paths().train().isEmpty()) {
            throw EfftrainException.badConfig("data.source = csv needs data.csv.train (a CSV file or a directory of "
                    + "them).");
        }
        Map<String, List<String>> files = new LinkedHashMap<>();
        files.put("train", Listing.files(csv.paths().train().get(), hadoop, "data.csv.train"));
        csv.paths().test().ifPresent(t -> files.put("test", Listing.files(t, hadoop, "data.csv.test")));

        List<FileTask> tasks = new ArrayList<>();
        int parallelism = spark.sparkContext().defaultParallelism();
        int fileIndex = 0;
        Columns first = null;
        String firstFile = null;
        for (Map.Entry<String, List<String>> split : files.entrySet()) {
            for (String file : split.getValue()) {
                Columns columns = Columns.of(header(file, hadoop, csv.delimiter()), file, csv);
                if (first == null) {
                    first = columns;
                    firstFile = file;
                } else if (!columns.featureNames().equals(first.featureNames())) {
                    throw EfftrainException.badInput(file + ": its feature columns (" + columns.featureNames().size()
                            + ": " + abbreviate(columns.featureNames()) + ") differ from those of " + firstFile + " ("
                            + first.featureNames().size() + ": " + abbreviate(first.featureNames())
                            + "); every file of every split must have the same features.");
                }
                long size = HadoopFiles.status(file, hadoop).getLen();
                long base = (long) fileIndex++ << OFFSET_BITS;
                int pieces = (int) Math.max(1, Math.min(size / minRangeBytes, 2L * parallelism));
                for (int k = 0; k < pieces; k++) {
                    tasks.add(new FileTask(split.getKey(), file, base, columns, size * k / pieces,
                            k == pieces - 1 ? Long.MAX_VALUE : size * (k + 1) / pieces));
                }
            }
        }
        int featureCount = first.featureIndices().length;
        int[] dims = shapeOf(shape, featureCount);
        Parser parser = new Parser(csv.delimiter(), csv.missingValue(), csv.fillMissing().orElse(null), encoding,
                labels);
        var rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(tasks, tasks.size())
                .flatMap(parser);
        return new SourceData(spark.createDataFrame(rows, CanonicalLayout.SOURCE_SCHEMA), dims, encoding,
                Optional.empty(), files, files.containsKey("test"), false);
    }

    private static int[] shapeOf(Optional<List<Integer>> shape, int featureCount) {
        if (shape.isEmpty()) {
            return new int[] {featureCount, 1, 1};
        }
        int[] dims = shape.get().stream().mapToInt(Integer::intValue).toArray();
        if ((long) dims[0] * dims[1] * dims[2] != featureCount) {
            throw EfftrainException.badConfig("data.shape " + shape.get() + " has " + (long) dims[0] * dims[1] * dims[2]
                    + " values, but the CSV has " + featureCount + " feature columns.");
        }
        return dims;
    }

    private static String abbreviate(List<String> names) {
        return names.size() <= 6 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + ", ..., " + names.get(names.size() - 1);
    }

    /**
     * The file's header, once it is known that a row follows: the file is split among tasks later, and none of
     * them sees the whole file to notice that it is empty.
     */
    private static List<String> header(String file, Configuration hadoop, char delimiter) {
        try (BufferedReader in = reader(file, hadoop)) {
            String line = in.readLine();
            if (line == null) {
                throw EfftrainException.badInput(file + ": is empty; a CSV source needs a header line and rows.");
            }
            for (String row; (row = in.readLine()) != null; ) {
                if (!row.isBlank()) {
                    return CsvLine.split(stripBom(line), delimiter).stream().map(String::trim).toList();
                }
            }
            throw EfftrainException.badInput(file + ": has a header but no rows; the source is empty.");
        } catch (IOException e) {
            throw EfftrainException.badInput(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static String stripBom(String line) {
        return line.startsWith("\uFEFF") ? line.substring(1) : line;
    }

    private static BufferedReader reader(String file, Configuration hadoop) {
        return new BufferedReader(new InputStreamReader(HadoopFiles.open(file, hadoop), StandardCharsets.UTF_8),
                1 << 16);
    }

    /** Which columns of a file hold the label and the features. */
    private record Columns(int width, int labelIndex, int[] featureIndices, List<String> featureNames,
                           List<String> header) implements Serializable {
        static Columns of(List<String> header, String file, CsvSettings csv) {
            int label = header.indexOf(csv.labelColumn());
            if (label < 0) {
                throw EfftrainException.badInput(file + ": has no column '" + csv.labelColumn() + "' (its header: "
                        + abbreviate(header) + "). Set data.csv.label-column to the label column's name.");
            }
            List<String> names = csv.featureColumns().orElseGet(() -> {
                List<String> all = new ArrayList<>(header);
                all.remove(label);
                return all;
            });
            int[] indices = new int[names.size()];
            for (int i = 0; i < indices.length; i++) {
                indices[i] = header.indexOf(names.get(i));
                if (indices[i] < 0) {
                    throw EfftrainException.badInput(file + ": has no feature column '" + names.get(i)
                            + "' named in data.csv.feature-columns.");
                }
            }
            if (indices.length == 0) {
                throw EfftrainException.badInput(file + ": has no feature columns besides the label.");
            }
            return new Columns(header.size(), label, indices, List.copyOf(names), header);
        }
    }

    /**
     * The lines of {@code file} that start in [start, end), the header excepted. A line's source order is the
     * file's base plus the byte offset where the line starts: increasing in file order, known without counting
     * the lines before the range.
     */
    private record FileTask(String split, String file, long firstOrder, Columns columns, long start, long end)
            implements Serializable {
    }

    /** The 1-based line that starts at byte {@code offset} of {@code file}: counted only for an error message. */
    private static long lineNumberAt(String file, long offset) {
        try (java.io.InputStream in = new java.io.BufferedInputStream(HadoopFiles.open(file, new Configuration()),
                1 << 16)) {
            long line = 1;
            for (long i = 0; i < offset; i++) {
                int b = in.read();
                if (b < 0) {
                    break;
                }
                if (b == '\n') {
                    line++;
                }
            }
            return line;
        } catch (IOException e) {
            return -1;
        }
    }

    /** Parses one file on an executor. */
    private record Parser(char delimiter, String missingToken, Double fill, FeatureEncoding encoding,
                          LabelRange labels) implements FlatMapFunction<FileTask, Row> {
        /**
         * The range's rows, parsed as Spark pulls them: the stream stays open while the iterator is consumed, so a
         * file of any size streams through with bounded memory (collecting a file's rows into a list first held
         * the whole parsed file in a task's heap, and took longer), and a large file is parsed by several tasks.
         */
        @Override
        public Iterator<Row> call(FileTask task) throws IOException {
            LineReader in = new LineReader(task.file(), task.start());
            Columns columns = task.columns();
            NumericLine numeric = new NumericLine(delimiter, columns.width(), columns.labelIndex(),
                    columns.featureIndices(), missingToken, encoding, labels);
            return new Iterator<>() {
                private final double[] values = new double[columns.featureIndices().length];
                private Row next = advance();

                @Override
                public boolean hasNext() {
                    return next != null;
                }

                @Override
                public Row next() {
                    if (next == null) {
                        throw new java.util.NoSuchElementException();
                    }
                    Row row = next;
                    next = advance();
                    return row;
                }

                private Row advance() {
                    try {
                        while (in.position() < task.end()) {
                            long lineStart = in.position();
                            if (!in.readLine()) {
                                break;
                            }
                            if (numeric.parse(in.line(), in.length(), values)) {
                                return row(task, numeric.label(), values, lineStart);
                            }
                            String line = new String(in.line(), 0, in.length(), StandardCharsets.UTF_8);
                            if (!line.isBlank()) {
                                return parse(task, columns, line, lineStart, values);
                            }
                        }
                        in.close();
                    } catch (IOException e) {
                        throw new UncheckedIOException(task.file() + ": cannot read", e);
                    }
                    return null;
                }
            };
        }

        private Row parse(FileTask task, Columns columns, String line, long lineStart, double[] values) {
            String where = task.file() + " at byte " + lineStart;
            try {
                return parse(task, columns, line, lineStart, values, where);
            } catch (EfftrainException e) {
                // Line numbers are counted only when needed: a range does not know how many lines precede it.
                String message = String.valueOf(e.getMessage());
                if (!message.startsWith(where)) {
                    throw e;
                }
                throw EfftrainException.badInput(task.file() + " line " + lineNumberAt(task.file(), lineStart)
                        + message.substring(where.length()), e);
            }
        }

        private Row parse(FileTask task, Columns columns, String line, long lineStart, double[] values,
                          String where) {
            List<String> fields = CsvLine.split(line, delimiter);
            if (fields.size() != columns.width()) {
                throw EfftrainException.badInput(where + ": has " + fields.size() + " fields, but the header "
                        + "has " + columns.width() + " columns (a ragged row; check the delimiter '"
                        + delimiter + "' and quoting).");
            }
            int label = labels.parse(fields.get(columns.labelIndex()),
                    where + ", column '" + columns.header().get(columns.labelIndex()) + "'");
            for (int j = 0; j < values.length; j++) {
                values[j] = value(fields.get(columns.featureIndices()[j]), where, columns.featureNames().get(j));
            }
            return row(task, label, values, lineStart);
        }

        private Row row(FileTask task, int label, double[] values, long lineStart) {
            byte[] features = encoding.encode(values);
            return RowFactory.create(task.firstOrder() + lineStart, label, features, task.split(),
                    ContentHash.of(label, features));
        }

        private double value(String raw, String where, String column) {
            String text = raw.trim();
            if (text.equals(missingToken)) {
                if (fill == null) {
                    throw EfftrainException.badInput(where + ", column '" + column + "': the value is missing ('"
                            + missingToken + "'). Clean the data, or set data.csv.fill-missing to a number.");
                }
                return fill;
            }
            double value;
            try {
                value = Double.parseDouble(text);
            } catch (NumberFormatException e) {
                throw EfftrainException.badInput(where + ", column '" + column + "': '" + raw + "' is not a number.");
            }
            String rejected = encoding.rejects(value);
            if (rejected != null) {
                throw EfftrainException.badInput(where + ", column '" + column + "': " + raw + " is not " + rejected
                        + ".");
            }
            return value;
        }
    }

    /**
     * Lines of a file from a byte position, as bytes, with the byte position of each line start (a Reader hides
     * byte positions). Started inside the file, it first skips to the start of the next line, as Hadoop's text
     * input does, so every line belongs to exactly one range; started at 0, it skips the header.
     */
    private static final class LineReader implements java.io.Closeable {
        private final java.io.InputStream in;
        private final byte[] buffer = new byte[1 << 16];
        private int next;
        private int filled;
        private long position;
        private byte[] line = new byte[1 << 12];
        private int length;

        LineReader(String file, long start) throws IOException {
            org.apache.hadoop.fs.FSDataInputStream raw = (org.apache.hadoop.fs.FSDataInputStream)
                    HadoopFiles.open(file, new Configuration());
            long from = Math.max(0, start - 1);
            raw.seek(from);
            this.in = raw;
            this.position = from;
            // From 0 the first line is the header; from inside, the rest of a line that began before the range
            // (just the newline when the range starts on a line).
            readLine();
        }

        long position() {
            return position;
        }

        /** Reads the next line, without its line end, into {@link #line()}; false at the end of the file. */
        boolean readLine() throws IOException {
            length = 0;
            boolean any = false;
            while (true) {
                if (next == filled) {
                    filled = in.read(buffer, 0, buffer.length);
                    next = 0;
                    if (filled <= 0) {
                        filled = 0;
                        break;
                    }
                }
                any = true;
                int end = next;
                while (end < filled && buffer[end] != '\n') {
                    end++;
                }
                append(next, end);
                position += end - next;
                if (end < filled) {
                    next = end + 1;
                    position++;
                    if (length > 0 && line[length - 1] == '\r') {
                        length--;
                    }
                    return true;
                }
                next = filled;
            }
            if (length > 0 && line[length - 1] == '\r') {
                length--;
            }
            return any;
        }

        private void append(int from, int to) {
            int n = to - from;
            if (length + n > line.length) {
                line = java.util.Arrays.copyOf(line, Math.max(line.length * 2, length + n));
            }
            System.arraycopy(buffer, from, line, length, n);
            length += n;
        }

        /** The bytes of the line read last; valid up to {@link #length()}. */
        byte[] line() {
            return line;
        }

        int length() {
            return length;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
