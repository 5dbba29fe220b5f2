package io.efftrain.datasets.canonical;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.efftrain.datasets.preprocess.FeatureStatistics;
import io.efftrain.datasets.preprocess.NormalizationModel;
import io.efftrain.pipeline.config.NormalizationType;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.run.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The JSON file inside every canonical table ({@value #FILE_NAME}; Spark skips names starting with an
 * underscore): what a later stage needs to read the table without looking at the data, and what a person needs
 * to know where it came from.
 *
 * @param layoutVersion {@link #LAYOUT_VERSION}; bumped when the table layout changes
 * @param source the source type that produced the table
 * @param shape one example as [channels, height, width]
 * @param encoding how {@code features} are stored
 * @param classNames index = label
 * @param countsBySplit examples per split
 * @param countsByClass examples per split and label
 * @param normalization how features are normalised for training
 * @param trainStatistics per-feature statistics of the train split, computed by Spark
 * @param sources fingerprints (files, bytes, SHA-256) of what was read, per group
 * @param lineage for a table derived from another (deduplicated, pruned): the input table, the job, its
 *     settings and what it removed; empty for a prepared table
 */
public record TableManifest(int layoutVersion, String source, int[] shape, FeatureEncoding encoding,
                            List<String> classNames, Map<String, Long> countsBySplit,
                            Map<String, Map<Integer, Long>> countsByClass, NormalizationType normalization,
                            FeatureStatistics trainStatistics, Map<String, Map<String, Object>> sources,
                            Map<String, Object> lineage) {
    public static final int LAYOUT_VERSION = 1;
    public static final String FILE_NAME = "_manifest.json";

    /** Features per example. */
    @JsonIgnore
    public int featureSize() {
        return shape[0] * shape[1] * shape[2];
    }

    /**
     * The manifest of a table derived from this one: new counts and lineage, the same normalisation
     * statistics (a model trained on a subset sees its inputs normalised exactly as on the full data).
     */
    public TableManifest derive(CanonicalTables.Counts counts, Map<String, Object> lineage) {
        return new TableManifest(layoutVersion, source, shape, encoding, classNames, counts.bySplit(),
                counts.byClass(), normalization, trainStatistics, sources, lineage);
    }

    /** The decoder training uses: the stored encoding, normalised with the train split's statistics. */
    public FeatureDecoder decoder() {
        return new NormalizationModel(normalization, encoding, trainStatistics).decoder();
    }

    /** Writes this manifest into {@code table} (a directory). */
    public void writeInto(String table, Configuration hadoop) {
        Path file = new Path(table, FILE_NAME);
        try (OutputStream out = file.getFileSystem(hadoop).create(file, true)) {
            out.write(Json.pretty(this).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Reads the manifest of a committed table. */
    public static TableManifest read(String table, Configuration hadoop) {
        Path file = new Path(table, FILE_NAME);
        try {
            FileSystem fs = file.getFileSystem(hadoop);
            if (!fs.exists(file)) {
                throw EfftrainException.badInput(table + ": is not a canonical table (no " + FILE_NAME + "). Prepare "
                        + "it with 'efftrain prepare'.");
            }
            try (InputStream in = fs.open(file)) {
                TableManifest manifest = Json.mapper().readValue(in, TableManifest.class);
                if (manifest.layoutVersion() != LAYOUT_VERSION) {
                    throw EfftrainException.badInput(file + ": layout version " + manifest.layoutVersion()
                            + ", this efftrain reads version " + LAYOUT_VERSION + "; prepare the table again.");
                }
                return manifest;
            }
        } catch (IOException e) {
            throw EfftrainException.badInput(file + ": cannot be read as a table manifest: " + e.getMessage(), e);
        }
    }
}
