package io.efftrain.jobs;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code bench} (time to accuracy): {@code [--quick] [<config>] [--out DIR]
 * [--set key=value]...}.
 *
 * @param quick the short benchmark on a slice
 * @param config the HOCON config file, or null for the main job's recipe on the embedded defaults
 * @param out where bench.json, the plot and the recipes' runs go
 * @param overrides {@code key=value} pairs, after the benchmark's own settings
 */
record BenchOptions(boolean quick, Path config, Path out, List<String> overrides) {
    private static final String USAGE = "efftrain bench [--quick] [<config.conf>] [--out DIR] [--set key=value]...";

    /** Parses the arguments after {@code bench}; without {@code --out}, runs/bench-&lt;timestamp&gt;. */
    static BenchOptions parse(List<String> args, Clock clock) {
        boolean quick = false;
        Path config = null;
        Path out = null;
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--quick" -> quick = true;
                case "--set" -> overrides.add(value(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                default -> {
                    if (arg.startsWith("-") || config != null) {
                        throw new EfftrainException(ExitCode.USAGE, "bench: unexpected '" + arg + "'. Usage: " + USAGE);
                    }
                    config = Path.of(arg);
                }
            }
        }
        return new BenchOptions(quick, config, out != null ? out : RunFiles.defaultDirectory("bench", clock),
                List.copyOf(overrides));
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new EfftrainException(ExitCode.USAGE, "bench: " + option + " needs a value. Usage: " + USAGE);
        }
        return args.get(i);
    }
}
