package io.efftrain.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.type.TypeReference;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.run.BuildInfo;
import io.efftrain.pipeline.run.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;

/**
 * Where a trained model came from: the run's {@code manifest.json}, and the same record inside its
 * {@code model.zip} (entry {@value #MODEL_ENTRY}), so a model copied away from its run directory still says which
 * data, config, versions and processor made it.
 *
 * @param created when the run was committed (ISO-8601, UTC)
 * @param seed the run seed
 * @param config the resolved config's file name inside the run directory
 * @param configFile the user's config file, or null for the embedded defaults plus overrides
 * @param overrides the {@code --set} overrides, in order
 * @param sparkMaster the Spark master the run trained on
 * @param versions component to version (efftrain, spark, scala, dl4j, hadoop, java, the Spark runtime)
 * @param driverCpu the driver's processor (executors on a cluster may differ)
 * @param data the training data
 */
public record RunProvenance(@JsonProperty("created") String created, @JsonProperty("seed") long seed,
                            @JsonProperty("config") String config,
                            @JsonProperty("config_file") String configFile,
                            @JsonProperty("overrides") List<String> overrides,
                            @JsonProperty("spark_master") String sparkMaster,
                            @JsonProperty("versions") Map<String, String> versions,
                            @JsonProperty("driver_cpu") HostCpu driverCpu,
                            @JsonProperty("data") Data data) {
    /** The zip entry of a model file that holds the provenance as JSON. */
    public static final String MODEL_ENTRY = "efftrain-provenance.json";

    /**
     * The data a run trained on.
     *
     * @param table the canonical table's path
     * @param tableManifest the table manifest's path inside the run directory
     * @param source the source kind (idx, csv, image folder, parquet, table)
     * @param shape the example shape (rows, columns, channels)
     * @param encoding how features are stored
     * @param classNames the class names, in label order
     * @param counts examples per split
     * @param countsByClass examples per class, per split
     * @param sources each source file's path, size and fingerprint
     * @param lineage what the data stages did (prepared, deduplicated, pruned)
     */
    public record Data(@JsonProperty("table") String table, @JsonProperty("table_manifest") String tableManifest,
                       @JsonProperty("source") String source, @JsonProperty("shape") int[] shape,
                       @JsonProperty("encoding") String encoding,
                       @JsonProperty("class_names") List<String> classNames,
                       @JsonProperty("counts") Map<String, Long> counts,
                       @JsonProperty("counts_by_class") Map<String, Map<Integer, Long>> countsByClass,
                       @JsonProperty("sources") Map<String, Map<String, Object>> sources,
                       @JsonProperty("lineage") Map<String, Object> lineage) {
    }

    /** The provenance of a run of {@code config} on {@code data}, committed at {@code created}. */
    static RunProvenance of(EfftrainConfig config, PreparedData data, SparkSession spark, RunOptions options,
                            Instant created) {
        Map<String, String> versions = new LinkedHashMap<>(BuildInfo.versions());
        versions.put("spark_runtime", spark.version());
        TableManifest table = data.manifest();
        Data trainedOn = new Data(data.tablePath(), "data/canonical/" + TableManifest.FILE_NAME, table.source(),
                table.shape(), String.valueOf(table.encoding()), table.classNames(), data.countsBySplit(),
                table.countsByClass(), table.sources(), table.lineage());
        return new RunProvenance(created.toString(), config.run().seed(), "config.conf",
                options.config() == null ? null : options.config().toString(), List.copyOf(options.overrides()),
                spark.sparkContext().master(), versions, HostCpu.ofThisMachine(), trainedOn);
    }

    /** As {@code manifest.json} and the model entry hold it. */
    public String toJson() {
        return Json.pretty(this);
    }

    /** Reads a provenance written by {@link #toJson}. */
    public static RunProvenance fromJson(String json) {
        try {
            return Json.mapper().readValue(json, new TypeReference<RunProvenance>() { });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read a run provenance", e);
        }
    }

    /** Adds this provenance to a DL4J model zip (DL4J's loaders skip entries they do not know). */
    void writeInto(Path modelZip) {
        try (FileSystem zip = FileSystems.newFileSystem(modelZip)) {
            Files.writeString(zip.getPath(MODEL_ENTRY), toJson(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot add the provenance to " + modelZip, e);
        }
    }

    /** The provenance inside a model zip that a run saved. */
    public static RunProvenance ofModel(Path modelZip) {
        try (FileSystem zip = FileSystems.newFileSystem(URI.create("jar:" + modelZip.toUri()), Map.of())) {
            Path entry = zip.getPath(MODEL_ENTRY);
            if (!Files.exists(entry)) {
                throw EfftrainException.badInput(modelZip + " has no " + MODEL_ENTRY + ": it was not saved by an "
                        + "efftrain run of this version; its run directory's manifest.json says where it came from.");
            }
            return fromJson(Files.readString(entry, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + modelZip, e);
        }
    }
}
