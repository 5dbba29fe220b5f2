package io.efftrain.jobs.report;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's plots, one line per run. A plot none of the runs has data for is left out, so a run of an older
 * version or an incubation run still gets the plots it can have.
 */
final class ReportPlots {
    /**
     * One drawn plot.
     *
     * @param file the PNG's file name in a run directory
     * @param title what it shows
     * @param png the encoded image
     */
    record Plot(String file, String title, byte[] png) {
    }

    /** One run's points of one plot. */
    private record Line(String name, double[] x, double[] y) {
    }

    static final int WIDTH = 560;
    static final int HEIGHT = 360;
    /** Beyond this many points per line markers hide the line; they help only while points are few. */
    private static final int MARKER_LIMIT = 40;

    static {
        // Before the first AWT class loads: the driver is often a machine without a display.
        System.setProperty("java.awt.headless", "true");
    }

    private ReportPlots() {
    }

    static List<Plot> draw(List<ReportedRun> runs) {
        String split = evaluationSplit(runs);
        List<Plot> plots = new ArrayList<>();
        add(plots, runs, "accuracy-vs-seconds.png", split + " accuracy against training seconds",
                new Axes("training seconds", "#,##0.#", split + " accuracy", "0.00", Range.ACCURACY),
                ReportPlots::accuracyAgainstSeconds);
        add(plots, runs, "accuracy-vs-epochs.png", split + " accuracy against epochs",
                new Axes("epochs", "0.##", split + " accuracy", "0.00", Range.ACCURACY),
                r -> points(evaluations(r), "epoch", "accuracy"));
        add(plots, runs, "loss-vs-epochs.png", "Training loss against epochs",
                new Axes("epochs", "0.##", "training loss", "0.00", Range.FROM_ZERO),
                ReportPlots::lossAgainstEpochs);
        add(plots, runs, "learning-rate-vs-steps.png", "Learning rate against steps",
                new Axes("steps", "#,##0", "learning rate", "0.0#####", Range.FROM_ZERO),
                r -> points(r.metrics(), "step", "learning_rate"));
        add(plots, runs, "samples-per-s.png", "Samples per second, per averaging round",
                new Axes("round", "#,##0", "samples/s", "#,##0", Range.FROM_ZERO), ReportPlots::samplesPerSecond);
        add(plots, runs, "budget-used.png", "Budget used against training seconds",
                new Axes("training seconds", "#,##0.#", "budget used (%)", "0", Range.PERCENT),
                ReportPlots::budgetUsed);
        return plots;
    }

    /** How a plot's y axis is bounded: XChart's own bounds hug the data, so two points fill the whole plot. */
    private enum Range {
        /** Within [0, 1], widened to the nearest 0.05 around the data. */
        ACCURACY,
        /** From zero, so a rate or loss reads as a proportion of its start. */
        FROM_ZERO,
        /** From zero to at least 100. */
        PERCENT
    }

    /**
     * A plot's axes.
     *
     * @param xTitle the x axis's title
     * @param xPattern its tick labels' {@link java.text.DecimalFormat} pattern
     * @param yTitle the y axis's title
     * @param yPattern its tick labels' pattern
     * @param range the y axis's bounds
     */
    private record Axes(String xTitle, String xPattern, String yTitle, String yPattern, Range range) {
    }

    private static void add(List<Plot> plots, List<ReportedRun> runs, String file, String title, Axes axes,
                            Function<ReportedRun, double[][]> series) {
        List<Line> lines = new ArrayList<>();
        for (ReportedRun run : runs) {
            double[][] xy = series.apply(run);
            if (xy[0].length > 0) {
                lines.add(new Line(run.name(), xy[0], xy[1]));
            }
        }
        if (lines.isEmpty()) {
            return;
        }
        plots.add(new Plot(file, capitalized(title), png(chart(capitalized(title), axes, lines))));
    }

    private static XYChart chart(String title, Axes axes, List<Line> lines) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(axes.xTitle())
                .yAxisTitle(axes.yTitle()).build();
        var style = chart.getStyler();
        style.setXAxisDecimalPattern(axes.xPattern());
        style.setYAxisDecimalPattern(axes.yPattern());
        style.setXAxisMin(0.0);
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (Line line : lines) {
            for (double y : line.y()) {
                low = Math.min(low, y);
                high = Math.max(high, y);
            }
        }
        switch (axes.range()) {
            case ACCURACY -> {
                style.setYAxisMin(Math.max(0, Math.floor((low - 0.01) * 20) / 20));
                style.setYAxisMax(Math.min(1, Math.ceil((high + 0.01) * 20) / 20));
            }
            case FROM_ZERO -> {
                style.setYAxisMin(Math.min(0, low));
                style.setYAxisMax(high > 0 ? high * 1.05 : 1);
            }
            case PERCENT -> {
                style.setYAxisMin(0.0);
                style.setYAxisMax(Math.max(100, Math.ceil(high / 10) * 10));
            }
        }
        style.setChartBackgroundColor(Color.WHITE);
        style.setPlotBackgroundColor(Color.WHITE);
        style.setPlotBorderColor(new Color(0xbbbbbb));
        style.setPlotGridLinesColor(new Color(0xe4e4e4));
        style.setPlotGridLinesStroke(new BasicStroke(1f));
        style.setChartTitleBoxVisible(false);
        style.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        style.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        style.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        style.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        // One run needs no legend: the page says which run it is.
        style.setLegendVisible(lines.size() > 1);
        style.setLegendPosition(Styler.LegendPosition.OutsideS);
        style.setLegendBorderColor(Color.WHITE);
        style.setMarkerSize(6);
        style.setAntiAlias(true);
        java.util.Set<String> names = new java.util.HashSet<>();
        for (Line line : lines) {
            XYSeries series = chart.addSeries(unique(names, line.name()), line.x(), line.y());
            series.setLineWidth(2f);
            series.setMarker(line.x().length <= MARKER_LIMIT ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
        }
        return chart;
    }

    /** XChart refuses two series of one name; two runs of one name in different folders are still two runs. */
    private static String unique(java.util.Set<String> taken, String name) {
        String candidate = name;
        for (int i = 2; !taken.add(candidate); i++) {
            candidate = name + " (" + i + ")";
        }
        return candidate;
    }

    private static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot encode the plot '" + chart.getTitle() + "'", e);
        }
    }

    /** Incubation runs carry their own clock (meta model + modules + fine-tuning); others the evaluations'. */
    private static double[][] accuracyAgainstSeconds(ReportedRun run) {
        JsonNode incubated = run.summary().path("incubation").path("accuracy_vs_time");
        if (incubated.isArray() && incubated.size() > 0) {
            return points(list(incubated), "elapsed_s", "accuracy");
        }
        return points(evaluations(run), "elapsed_s", "accuracy");
    }

    /**
     * Each step's loss where metrics.jsonl has step_losses (a run of few averaging rounds is otherwise two or three
     * points), spread evenly over the epochs of its round; the round's mean loss where it has not.
     */
    static double[][] lossAgainstEpochs(ReportedRun run) {
        List<double[]> out = new ArrayList<>();
        double previous = 0;
        for (JsonNode row : run.metrics()) {
            JsonNode epoch = row.get("epoch");
            if (epoch == null || !epoch.isNumber()) {
                continue;
            }
            JsonNode steps = row.path("step_losses");
            if (steps.isArray() && steps.size() > 0) {
                for (int i = 0; i < steps.size(); i++) {
                    double loss = steps.get(i).asDouble(Double.NaN);
                    if (steps.get(i).isNumber() && Double.isFinite(loss)) {
                        out.add(new double[] {previous + (epoch.asDouble() - previous) * (i + 1) / steps.size(),
                            loss});
                    }
                }
            } else if (row.path("loss").isNumber() && Double.isFinite(row.path("loss").asDouble())) {
                out.add(new double[] {epoch.asDouble(), row.path("loss").asDouble()});
            }
            previous = epoch.asDouble();
        }
        return columns(out);
    }

    /** metrics.jsonl has cumulative samples and seconds; a round's rate is their difference to the round before. */
    private static double[][] samplesPerSecond(ReportedRun run) {
        List<double[]> out = new ArrayList<>();
        double samples = 0;
        double seconds = 0;
        for (JsonNode row : run.metrics()) {
            JsonNode round = row.get("round");
            JsonNode s = row.get("samples");
            JsonNode t = row.get("elapsed_s");
            if (round == null || s == null || t == null || !s.isNumber() || !t.isNumber()) {
                continue;
            }
            double dt = t.asDouble() - seconds;
            if (dt > 0 && s.asDouble() >= samples) {
                out.add(new double[] {round.asDouble(), (s.asDouble() - samples) / dt});
            }
            samples = s.asDouble();
            seconds = t.asDouble();
        }
        return columns(out);
    }

    private static double[][] budgetUsed(ReportedRun run) {
        double[][] xy = points(run.metrics(), "elapsed_s", "budget_used");
        for (int i = 0; i < xy[1].length; i++) {
            xy[1][i] *= 100;
        }
        return xy;
    }

    private static List<JsonNode> evaluations(ReportedRun run) {
        return list(run.training().path("evaluations"));
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        array.forEach(out::add);
        return out;
    }

    private static double[][] points(List<JsonNode> rows, String x, String y) {
        List<double[]> out = new ArrayList<>();
        for (JsonNode row : rows) {
            JsonNode a = row.get(x);
            JsonNode b = row.get(y);
            if (a != null && b != null && a.isNumber() && b.isNumber() && Double.isFinite(b.asDouble())) {
                out.add(new double[] {a.asDouble(), b.asDouble()});
            }
        }
        return columns(out);
    }

    private static double[][] columns(List<double[]> points) {
        double[] xs = new double[points.size()];
        double[] ys = new double[points.size()];
        for (int i = 0; i < points.size(); i++) {
            xs[i] = points.get(i)[0];
            ys[i] = points.get(i)[1];
        }
        return new double[][] {xs, ys};
    }

    /** "test" or "validation", or both when runs compared evaluated on different splits. */
    private static String evaluationSplit(List<ReportedRun> runs) {
        List<String> splits = new ArrayList<>();
        for (ReportedRun run : runs) {
            String split = run.training().path("evaluation_split").asText("");
            if (!split.isEmpty() && !splits.contains(split)) {
                splits.add(split);
            }
        }
        return splits.isEmpty() ? "held-out" : String.join("/", splits);
    }

    private static String capitalized(String text) {
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
