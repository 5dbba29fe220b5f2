package io.efftrain.jobs.bench;

import io.efftrain.jobs.RunJob;
import io.efftrain.jobs.RunOptions;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Short untimed runs before a benchmark's timed ones, one for each kind of training code among its recipes (the
 * network and what computes its convolutions). A fresh JVM compiles its hot code during its first tens of
 * seconds; without these runs the first recipe of each kind pays for that on its clock and the later ones do not,
 * and the first of all is the end-to-end baseline, the figure every speed-up is divided by.
 */
final class BenchWarmUp {
    /** Steps per worker of a warm-up run: the full benchmark's baseline spends about 6 s on them. */
    static final int STEPS = 64;
    /** The quick benchmark's slice is a fifth of the data; fewer steps keep it within its five minutes. */
    static final int QUICK_STEPS = 16;

    private static final String KERNELS = "model.kernels=";

    private BenchWarmUp() {
    }

    /**
     * The recipes that stand for each kind of training code, in benchmark order: the first recipe of each network
     * and kernel setting that trains on its own, without the score job's table or Deep Incubation's phases (those
     * run the same layers as a plain recipe of their network).
     */
    static List<BenchRecipe> representatives(List<BenchRecipe> recipes) {
        Map<String, BenchRecipe> byKind = new LinkedHashMap<>();
        for (BenchRecipe recipe : recipes) {
            if (!recipe.usesScores() && !recipe.incubates()) {
                byKind.putIfAbsent(recipe.model() + " " + kernels(recipe), recipe);
            }
        }
        return List.copyOf(byKind.values());
    }

    /**
     * Runs each representative of {@code recipes} for {@code steps} steps on the benchmark's table
     * ({@code onTable}: its common settings) into {@code out/warmup/<recipe>}; returns, for bench.json, which
     * recipes warmed up and their wall seconds.
     */
    static List<Map<String, Object>> run(Path configFile, List<BenchRecipe> recipes, List<String> onTable, int steps,
                                         Path out, Clock clock, Ticker ticker, PrintStream progress) {
        List<Map<String, Object>> done = new ArrayList<>();
        for (BenchRecipe recipe : representatives(recipes)) {
            List<String> settings = recipe.settingsAfter(onTable);
            settings.add("train.budget.steps=" + steps);
            progress.printf(Locale.ROOT, "[bench] warm-up, untimed: %d steps of %s%n", steps, recipe.name());
            Stopwatch start = Stopwatch.start(ticker);
            Path runDir = out.resolve("warmup").resolve(recipe.name());
            new RunJob(clock, ticker, progress).run(new RunOptions(configFile, runDir, settings, true, false));
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("recipe", recipe.name());
            entry.put("steps", steps);
            entry.put("seconds", start.seconds());
            done.add(entry);
        }
        return done;
    }

    private static String kernels(BenchRecipe recipe) {
        return recipe.overrides().stream().filter(o -> o.startsWith(KERNELS)).reduce((a, b) -> b)
                .map(o -> o.substring(KERNELS.length())).orElse("default");
    }
}
