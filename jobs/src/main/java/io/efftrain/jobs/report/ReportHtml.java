package io.efftrain.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page: a table of results, the plots inlined as data URIs, data lineage, environment and each run's resolved
 * config. Every value from a run's files passes through {@link Html#escape}.
 */
final class ReportHtml {
    /** In every report's head: the command line overwrites a file that has it and refuses any other. */
    static final String GENERATOR = "<meta name=\"generator\" content=\"efftrain report\">";

    private static final String STYLE = """
            body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:24px auto;max-width:1200px;
            padding:0 16px;color:#222}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #ddd}
            .sub{color:#666;margin:0 0 12px}
            table{border-collapse:collapse;font-size:13px;margin:4px 0}
            th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
            th{background:#f4f4f4}td.n{text-align:right;font-variant-numeric:tabular-nums}
            .plots{display:grid;grid-template-columns:repeat(auto-fill,minmax(540px,1fr));gap:12px}
            figure{margin:0}img{max-width:100%;height:auto;border:1px solid #eee}
            pre{background:#f8f8f8;border:1px solid #eee;padding:8px;font-size:12px;overflow:auto;max-height:600px}
            details{margin:6px 0}summary{cursor:pointer}
            """;

    private ReportHtml() {
    }

    static String render(List<ReportedRun> runs, List<ReportPlots.Plot> plots) {
        StringBuilder h = new StringBuilder(64 * 1024);
        String title = runs.size() == 1 ? "efftrain run " + runs.get(0).name()
                : "efftrain: " + runs.size() + " runs compared";
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n").append(GENERATOR)
                .append("\n<title>").append(Html.escape(title)).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n<h1>").append(Html.escape(title)).append("</h1>\n");
        h.append("<p class=\"sub\">").append(Html.escape(subtitle(runs))).append("</p>\n");

        h.append("<h2>Results</h2>\n");
        results(h, runs);
        if (!plots.isEmpty()) {
            h.append("<h2>Training</h2>\n<div class=\"plots\">\n");
            for (ReportPlots.Plot plot : plots) {
                // The handlers record whether the browser decoded each image (BrowserReportTest reads them).
                h.append("<figure><img src=\"data:image/png;base64,")
                        .append(Base64.getEncoder().encodeToString(plot.png())).append("\" alt=\"")
                        .append(Html.escape(plot.title())).append("\" width=\"").append(ReportPlots.WIDTH)
                        .append("\" height=\"").append(ReportPlots.HEIGHT)
                        .append("\" onload=\"this.setAttribute('data-natural-width',this.naturalWidth)\"")
                        .append(" onerror=\"this.setAttribute('data-natural-width','0')\"></figure>\n");
            }
            h.append("</div>\n");
        }
        h.append("<h2>Data lineage</h2>\n");
        table(h, runs, ReportHtml::lineage);
        h.append("<h2>Environment</h2>\n");
        table(h, runs, ReportHtml::environment);
        h.append("<h2>Resolved config</h2>\n");
        for (ReportedRun run : runs) {
            if (run.config() == null) {
                continue;
            }
            h.append("<details").append(runs.size() == 1 ? " open" : "").append("><summary>config.conf of ")
                    .append(Html.escape(run.name())).append("</summary>\n<pre>").append(Html.escape(run.config()))
                    .append("</pre></details>\n");
        }
        h.append("</body>\n</html>\n");
        return h.toString();
    }

    private static String subtitle(List<ReportedRun> runs) {
        List<String> parts = new ArrayList<>();
        for (ReportedRun run : runs) {
            String created = run.manifest().path("created").asText("");
            String file = run.manifest().path("config_file").asText("");
            StringBuilder s = new StringBuilder(run.name());
            if (!file.isEmpty()) {
                s.append(" from ").append(file);
            }
            if (!created.isEmpty()) {
                s.append(", committed ").append(created.length() > 19 ? created.substring(0, 19) + "Z" : created);
            }
            parts.add(s.toString());
        }
        return String.join("; ", parts);
    }

    private static void results(StringBuilder h, List<ReportedRun> runs) {
        String[] heads = {"run", "test accuracy", "test loss", "stop reason", "epochs", "steps", "training s",
            "total s", "samples/s", "budget", "budget used", "workers"};
        h.append("<table>\n<tr>");
        for (String head : heads) {
            h.append("<th>").append(Html.escape(head)).append("</th>");
        }
        h.append("</tr>\n");
        for (ReportedRun run : runs) {
            JsonNode s = run.summary();
            JsonNode t = run.training();
            JsonNode last = run.metrics().isEmpty() ? null : run.metrics().get(run.metrics().size() - 1);
            h.append("<tr><td>").append(Html.escape(run.name())).append("</td>");
            numberCell(h, s.path("test_accuracy"), "%.4f");
            numberCell(h, s.path("test_loss"), "%.4f");
            h.append("<td>").append(Html.escape(t.path("stop_reason").asText("")).toLowerCase(Locale.ROOT))
                    .append("</td>");
            numberCell(h, t.path("epochs"), "%.2f");
            numberCell(h, t.path("steps"), "%,.0f");
            numberCell(h, t.path("seconds"), "%.1f");
            numberCell(h, s.path("total_seconds"), "%.1f");
            numberCell(h, t.path("samples_per_s"), "%,.0f");
            h.append("<td>").append(Html.escape(budget(run))).append("</td>");
            JsonNode used = last == null ? null : last.get("budget_used");
            h.append("<td class=\"n\">").append(used != null && used.isNumber()
                    ? String.format(Locale.ROOT, "%.1f %%", used.asDouble() * 100) : "").append("</td>");
            numberCell(h, t.path("workers"), "%.0f");
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }

    private static void numberCell(StringBuilder h, JsonNode value, String format) {
        h.append("<td class=\"n\">");
        if (value.isNumber()) {
            h.append(Html.escape(String.format(Locale.ROOT, format, value.asDouble())));
        }
        h.append("</td>");
    }

    /**
     * The limits the run trained under, from its resolved config (the unset ones are null): train.budget, or for
     * Deep Incubation the fine-tuning's, which replaces it in the phase that metrics.jsonl records.
     */
    private static String budget(ReportedRun run) {
        Config config = config(run);
        if (config == null) {
            return "";
        }
        boolean incubated = flag(config, "incubation.enabled");
        String path = incubated ? "incubation.fine-tune.budget" : "train.budget";
        if (!config.hasPath(path)) {
            return "";
        }
        List<String> limits = new ArrayList<>();
        config.getConfig(path).root().forEach((key, value) -> {
            if (value.valueType() != ConfigValueType.NULL) {
                limits.add(key + " " + value.unwrapped());
            }
        });
        return (incubated ? "fine-tuning: " : "") + String.join(", ", limits);
    }

    private static Config config(ReportedRun run) {
        if (run.config() == null) {
            return null;
        }
        try {
            return ConfigFactory.parseString(run.config());
        } catch (RuntimeException unreadable) {
            // A hand-edited config that no longer parses still shows in the page; only the derived cells go.
            return null;
        }
    }

    private static Map<String, String> lineage(ReportedRun run) {
        Map<String, String> rows = new LinkedHashMap<>();
        JsonNode data = run.manifest().path("data");
        // The stages, oldest first: the run's manifest holds the last one, each input table's the one before it.
        List<JsonNode> stages = new ArrayList<>();
        stages.add(data.path("lineage"));
        run.inputs().forEach(input -> stages.add(input.path("lineage")));
        java.util.Collections.reverse(stages);
        boolean derived = stages.stream().anyMatch(l -> l.path("job").isTextual());
        boolean complete = !stages.get(0).path("job").isTextual();
        if (derived && complete && !run.inputs().isEmpty()) {
            counts(rows, "examples prepared", run.inputs().get(run.inputs().size() - 1).path("countsBySplit"));
        }
        counts(rows, derived ? "examples trained on" : "examples prepared", data.path("counts"));
        put(rows, "source", data.path("source"));
        data.path("sources").fields().forEachRemaining(e -> rows.put("source file: " + e.getKey(),
                e.getValue().path("path").asText("") + " (" + String.format(Locale.ROOT, "%,d",
                        e.getValue().path("bytes").asLong()) + " bytes, sha256 "
                        + abbreviated(e.getValue().path("sha256").asText("")) + ")"));
        for (JsonNode stage : stages) {
            String job = stage.path("job").asText("table");
            for (Iterator<Map.Entry<String, JsonNode>> it = stage.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                // Job keys, settings and paths are for the machine (reuse of a table); counts are for people.
                if (!List.of("job", "job_key", "settings", "input", "scores").contains(e.getKey())
                        && e.getValue().isValueNode()) {
                    rows.put(job + ": " + e.getKey().replace('_', ' '), e.getValue().asText());
                }
            }
        }
        Config config = config(run);
        if (config != null) {
            techniques(config, rows);
        }
        run.training().fields().forEachRemaining(e -> {
            if (e.getKey().contains("skipped") || e.getKey().contains("infobatch")) {
                rows.put(e.getKey().replace('_', ' '), e.getValue().asText());
            }
        });
        return rows;
    }

    /** The data-centric stages the config switched on, so absent counts read as "not run", not "zero". */
    private static void techniques(Config config, Map<String, String> rows) {
        List<String> on = new ArrayList<>();
        if (flag(config, "sampling.dedup.enabled")) {
            on.add("dedup");
        }
        if (config.hasPath("sampling.selection.policy")
                && !"none".equals(config.getString("sampling.selection.policy"))) {
            on.add("static selection (" + config.getString("sampling.selection.policy") + ")");
        }
        if (flag(config, "sampling.infobatch.enabled")) {
            on.add("InfoBatch (prune ratio " + config.getValue("sampling.infobatch.prune-ratio").unwrapped() + ")");
        }
        if (flag(config, "sampling.selective-backprop.enabled")) {
            on.add("selective backprop");
        }
        if (config.hasPath("sampling.curriculum.pacing")
                && !"none".equals(config.getString("sampling.curriculum.pacing"))) {
            on.add("curriculum (" + config.getString("sampling.curriculum.pacing") + ")");
        }
        rows.put("data-centric stages", on.isEmpty() ? "none" : String.join(", ", on));
    }

    private static boolean flag(Config config, String path) {
        try {
            return config.hasPath(path) && config.getBoolean(path);
        } catch (RuntimeException wrongType) {
            return false;
        }
    }

    private static Map<String, String> environment(ReportedRun run) {
        Map<String, String> rows = new LinkedHashMap<>();
        JsonNode m = run.manifest();
        put(rows, "Spark master", m.path("spark_master"));
        put(rows, "workers", run.training().path("workers"));
        JsonNode cpu = m.path("driver_cpu");
        if (!cpu.isMissingNode()) {
            List<String> parts = new ArrayList<>();
            cpu.fields().forEachRemaining(e -> parts.add(e.getKey().replace('_', ' ') + " " + e.getValue().asText()));
            rows.put("driver CPU", String.join(", ", parts));
        }
        m.path("versions").fields().forEachRemaining(e -> rows.put(e.getKey().replace('_', ' '),
                e.getValue().asText()));
        put(rows, "seed", m.path("seed"));
        put(rows, "config file", m.path("config_file"));
        if (m.path("overrides").isArray() && m.path("overrides").size() > 0) {
            List<String> sets = new ArrayList<>();
            m.path("overrides").forEach(o -> sets.add(o.asText()));
            rows.put("overrides", String.join(" ", sets));
        }
        JsonNode stages = run.summary().path("stages");
        if (stages.isObject()) {
            List<String> parts = new ArrayList<>();
            stages.fields().forEachRemaining(e -> parts.add(e.getKey() + " " + String.format(Locale.ROOT, "%.1f",
                    e.getValue().asDouble())));
            rows.put("seconds by stage", String.join(", ", parts));
        }
        put(rows, "committed", m.path("created"));
        return rows;
    }

    private static void counts(Map<String, String> rows, String what, JsonNode bySplit) {
        bySplit.fields().forEachRemaining(e -> rows.put(what + ": " + e.getKey(),
                String.format(Locale.ROOT, "%,d", e.getValue().asLong())));
    }

    private static void put(Map<String, String> rows, String name, JsonNode value) {
        if (value.isValueNode() && !value.isNull()) {
            rows.put(name, value.asText());
        }
    }

    private static String abbreviated(String hash) {
        return hash.length() > 16 ? hash.substring(0, 16) + "…" : hash;
    }

    /** One row per item, one column per run: runs side by side read better than stacked tables. */
    private static void table(StringBuilder h, List<ReportedRun> runs,
                              java.util.function.Function<ReportedRun, Map<String, String>> rowsOf) {
        List<Map<String, String>> columns = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (ReportedRun run : runs) {
            Map<String, String> rows = rowsOf.apply(run);
            columns.add(rows);
            rows.keySet().stream().filter(k -> !names.contains(k)).forEach(names::add);
        }
        if (names.isEmpty()) {
            h.append("<p>Nothing recorded.</p>\n");
            return;
        }
        h.append("<table>\n");
        if (runs.size() > 1) {
            h.append("<tr><th></th>");
            runs.forEach(r -> h.append("<th>").append(Html.escape(r.name())).append("</th>"));
            h.append("</tr>\n");
        }
        for (String name : names) {
            h.append("<tr><th>").append(Html.escape(name)).append("</th>");
            for (Map<String, String> column : columns) {
                h.append("<td>").append(Html.escape(column.getOrDefault(name, ""))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
    }
}
