package io.efftrain.jobs.bench;

import io.efftrain.jobs.RunFiles;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code bench} (time to accuracy): {@code [--quick] [<config>] [--out DIR]
 * [--recipes NAME,...] [--set key=value]...}.
 *
 * @param quick the short benchmark on a slice
 * @param config the HOCON config file, or null for the main job's recipe on the embedded defaults
 * @param out where bench.json, the plot and the recipes' runs go
 * @param overrides {@code key=value} pairs, after the benchmark's own settings
 * @param recipes the recipes to run, by name, in the standard order; empty for all of them
 */
public record BenchOptions(boolean quick, Path config, Path out, List<String> overrides, List<String> recipes) {
    private static final String USAGE = "efftrain bench [--quick] [<config.conf>] [--out DIR] [--recipes NAME,...] "
            + "[--set key=value]...";

    /** Parses the arguments after {@code bench}; without {@code --out}, runs/bench-&lt;timestamp&gt;. */
    public static BenchOptions parse(List<String> args, Clock clock) {
        boolean quick = false;
        Path config = null;
        Path out = null;
        List<String> overrides = new ArrayList<>();
        List<String> recipes = List.of();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--set" -> overrides.add(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                case "--recipes" -> recipes = List.of(value(args, ++i, arg).split(","));
                default -> {
                    if (arg.startsWith("-") || config != null) {
                        throw new EfftrainException(ExitCode.USAGE, "bench: unexpected '" + arg + "'. Usage: " + USAGE);
                    }
                    config = Path.of(arg);
                }
            }
        }
        return new BenchOptions(quick, config, out != null ? out : RunFiles.defaultDirectory("bench", clock),
                List.copyOf(overrides), recipes);
    }

    /**
     * The standard recipes of this benchmark ({@link BenchRecipe#standard(boolean)}) that {@code --recipes} names,
     * in their standard order; all of them without it. An unknown name is a usage error that lists the known ones.
     */
    public List<BenchRecipe> selectedRecipes() {
        List<BenchRecipe> all = BenchRecipe.standard(quick);
        if (recipes.isEmpty()) {
            return all;
        }
        List<String> known = all.stream().map(BenchRecipe::name).toList();
        for (String name : recipes) {
            if (!known.contains(name)) {
                throw new EfftrainException(ExitCode.USAGE, "bench: no recipe '" + name + "'" + (quick
                        ? " in the quick benchmark" : "") + "; the recipes are " + String.join(", ", known));
            }
        }
        return all.stream().filter(r -> recipes.contains(r.name())).toList();
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new EfftrainException(ExitCode.USAGE, "bench: " + option + " needs a value. Usage: " + USAGE);
        }
        return args.get(i);
    }
}
