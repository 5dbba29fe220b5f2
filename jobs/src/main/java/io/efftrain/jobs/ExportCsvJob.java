package io.efftrain.jobs;

import static org.apache.spark.sql.functions.col;

import io.efftrain.datasets.AtomicDirectory;
import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.prepare.TablePreparer;
import io.efftrain.datasets.source.SourceData;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.FeatureEncoding;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code efftrain export-csv}: the configured source's splits as plain CSV files ({@code <out>/train.csv} and, when
 * the source has one, {@code <out>/test.csv}), one row per example in source order: {@code label} then one column
 * per feature ({@code pixel1..pixelN} for pixels, as Kaggle's Fashion-MNIST CSVs have them, else
 * {@code feature1..featureN}). This is how a notebook user without a CSV of their own gets one to read into a
 * DataFrame: Fashion-MNIST is installed as IDX. The files are written on the driver (a single file per split, not a
 * folder of parts) and the folder is committed all at once.
 */
public final class ExportCsvJob {
    private ExportCsvJob() {
    }

    /**
     * @param out the folder the CSV files are committed into (local path or Hadoop URI)
     * @param ticker times the export for the progress line
     * @return the number of rows written per split, train first
     */
    public static Map<String, Long> run(Path configFile, List<String> overrides, String out, boolean overwrite,
                                        Ticker ticker, PrintStream progress) {
        EfftrainConfig config = ConfigLoader.load(configFile, overrides);
        SparkSession spark = SparkSessions.start("efftrain export-csv " + config.run().name(), config.spark());
        Stopwatch start = Stopwatch.start(ticker);
        SourceData source = TablePreparer.source(spark, config.data());
        List<String> splits = source.hasTestSplit() ? List.of("train", "test") : List.of("train");
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Map<String, Long> written = new LinkedHashMap<>();
        AtomicDirectory.commit(out, overwrite, hadoop, tmp -> {
            for (String split : splits) {
                written.put(split, writeSplit(source, split, new org.apache.hadoop.fs.Path(tmp, split + ".csv"),
                        hadoop));
            }
        });
        progress.printf(Locale.ROOT, "[export-csv] %s: %s rows in %.1f s%n", out, written,
                start.seconds());
        return written;
    }

    private static long writeSplit(SourceData source, String split, org.apache.hadoop.fs.Path file,
                                   Configuration hadoop) {
        FeatureEncoding encoding = source.encoding();
        int size = source.featureSize();
        Iterator<Row> rows = source.rows().where(col(CanonicalLayout.SPLIT).equalTo(split))
                .orderBy(CanonicalLayout.SOURCE_ORDER)
                .select(CanonicalLayout.LABEL, CanonicalLayout.FEATURES)
                .toLocalIterator();
        long count = 0;
        try (Writer writer = new BufferedWriter(new OutputStreamWriter(
                FileSystem.get(file.toUri(), hadoop).create(file, false), StandardCharsets.UTF_8), 1 << 16)) {
            writer.write(header(encoding == FeatureEncoding.UINT8 ? "pixel" : "feature", size));
            StringBuilder line = new StringBuilder();
            while (rows.hasNext()) {
                Row row = rows.next();
                byte[] features = row.getAs(1);
                line.setLength(0);
                line.append(row.getInt(0));
                for (int i = 0; i < size; i++) {
                    line.append(',');
                    float value = encoding.decode(features, 0, i);
                    // Whole numbers (every pixel) without a trailing ".0": Spark infers them as integers.
                    if (value == (int) value) {
                        line.append((int) value);
                    } else {
                        line.append(value);
                    }
                }
                line.append('\n');
                writer.write(line.toString());
                count++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return count;
    }

    private static String header(String prefix, int size) {
        StringBuilder header = new StringBuilder("label");
        for (int i = 1; i <= size; i++) {
            header.append(',').append(prefix).append(i);
        }
        return header.append('\n').toString();
    }
}
