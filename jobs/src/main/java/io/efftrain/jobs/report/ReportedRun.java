package io.efftrain.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.run.Json;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files of one run directory a report reads. Any of them may be missing (a run of an older version, an
 * incubation run, a hand-made directory): the report then leaves out what it cannot draw instead of failing.
 *
 * @param name the run directory's name, the label of the run's lines
 * @param summary summary.json, or a missing node
 * @param metrics metrics.jsonl, one node per averaging round
 * @param manifest manifest.json, or a missing node
 * @param config config.conf's text, or null
 * @param inputs the _manifest.json of each table the run's table was derived from, nearest first (the
 *     deduplicated table, then the prepared one, ...), as far as they can be read
 */
record ReportedRun(String name, JsonNode summary, List<JsonNode> metrics, JsonNode manifest, String config,
                   List<JsonNode> inputs) {
    /** Deeper chains do not occur (prepare, dedup, prune); the bound stops a table that names itself. */
    private static final int MAX_INPUTS = 8;

    static ReportedRun read(Path dir) {
        Path summary = dir.resolve("summary.json");
        Path metrics = dir.resolve("metrics.jsonl");
        if (!Files.isRegularFile(summary) && !Files.isRegularFile(metrics)) {
            throw EfftrainException.badInput(dir + ": not an efftrain run directory (no summary.json or"
                    + " metrics.jsonl).");
        }
        JsonNode manifest = readJson(dir.resolve("manifest.json"));
        return new ReportedRun(label(dir), readJson(summary), readLines(metrics), manifest,
                readText(dir.resolve("config.conf")), inputs(dir, manifest.path("data").path("lineage")));
    }

    /**
     * manifest.json holds only the last stage's lineage (a pruned table names the deduplicated one as input); the
     * counts of the earlier stages are in their tables' manifests, inside the run directory or wherever the
     * tables were written. A table that is gone or remote ends the chain: the report shows what it found.
     */
    private static List<JsonNode> inputs(Path dir, JsonNode lineage) {
        List<JsonNode> inputs = new ArrayList<>();
        while (inputs.size() < MAX_INPUTS && lineage.path("input").isTextual()) {
            Path table;
            try {
                String input = lineage.path("input").asText();
                table = input.startsWith("file:") ? Path.of(URI.create(input)) : Path.of(input);
            } catch (RuntimeException notALocalPath) {
                break;
            }
            Path file = inRunDirectory(dir, table).resolve("_manifest.json");
            if (!Files.isRegularFile(file)) {
                break;
            }
            JsonNode manifest;
            try {
                manifest = Json.mapper().readTree(file.toFile());
            } catch (IOException unreadable) {
                break;
            }
            inputs.add(manifest);
            lineage = manifest.path("lineage");
        }
        return inputs;
    }

    /**
     * The run's own tables were recorded under its staging directory ({@code .<name>.staging}), which the commit
     * renamed to the run directory; a report drawn afterwards finds them there.
     */
    private static Path inRunDirectory(Path dir, Path table) {
        if (Files.exists(table)) {
            return table;
        }
        String staging = "." + label(dir) + ".staging";
        for (int i = 0; i < table.getNameCount(); i++) {
            if (table.getName(i).toString().equals(staging) && i + 1 < table.getNameCount()) {
                return dir.resolve(table.subpath(i + 1, table.getNameCount()));
            }
        }
        return table;
    }

    /** The committed name also while the run is still being written into {@code .<name>.staging}. */
    static String label(Path dir) {
        Path file = dir.toAbsolutePath().normalize().getFileName();
        String name = file == null ? dir.toString() : file.toString();
        if (name.startsWith(".") && name.endsWith(".staging") && name.length() > ".staging".length() + 1) {
            return name.substring(1, name.length() - ".staging".length());
        }
        return name;
    }

    JsonNode training() {
        return summary.path("training");
    }

    private static JsonNode readJson(Path file) {
        if (!Files.isRegularFile(file)) {
            return MissingNode.getInstance();
        }
        try {
            return Json.mapper().readTree(file.toFile());
        } catch (IOException e) {
            throw EfftrainException.badInput(file + ": not readable JSON (" + e.getMessage() + ").", e);
        }
    }

    private static List<JsonNode> readLines(Path file) {
        List<JsonNode> rows = new ArrayList<>();
        String text = readText(file);
        if (text == null) {
            return rows;
        }
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            try {
                rows.add(Json.mapper().readTree(line));
            } catch (IOException e) {
                // A run killed while appending leaves a torn last line; the rounds before it still plot.
                continue;
            }
        }
        return rows;
    }

    private static String readText(Path file) {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw EfftrainException.badInput(file + ": cannot be read (" + e.getMessage() + ").", e);
        }
    }
}
