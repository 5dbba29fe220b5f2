package io.efftrain.jobs;

import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.prepare.TablePreparer;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import java.io.PrintStream;
import java.util.Locale;
import org.apache.spark.sql.SparkSession;

/**
 * {@code efftrain prepare}: the configured source to a committed canonical table, for workflows that prepare
 * once and train many times. The table appears at {@code --out} complete (with its manifest) or not at all.
 */
public final class PrepareJob {
    private PrepareJob() {
    }

    /**
     * @param table where the table is committed: a URI ({@code hdfs://...}) or a local path
     */
    public static TableManifest run(java.nio.file.Path configFile, java.util.List<String> overrides, String table,
                             boolean overwrite, Ticker ticker, PrintStream progress) {
        EfftrainConfig config = ConfigLoader.load(configFile, overrides);
        SparkSession spark = SparkSessions.start("efftrain prepare " + config.run().name(), config.spark());
        String uri = tableUri(table);
        Stopwatch start = Stopwatch.start(ticker);
        TableManifest manifest = TablePreparer.prepare(spark, config.data(), config.run().seed(), uri, overwrite);
        progress.printf(Locale.ROOT, "[prepare] %s: %s examples in %.1f s%n", uri, manifest.countsBySplit(),
                start.seconds());
        return manifest;
    }

    /** A plain path is a local path; anything with a scheme (hdfs://, file:) is used as it is. */
    public static String tableUri(String out) {
        String uri = out.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*") ? out
                : java.nio.file.Path.of(out).toAbsolutePath().toUri().toString();
        // Path.toUri() ends an existing directory with '/'; the same table must get the same name either way.
        return uri.endsWith("/") && !uri.endsWith(":///") ? uri.substring(0, uri.length() - 1) : uri;
    }
}
