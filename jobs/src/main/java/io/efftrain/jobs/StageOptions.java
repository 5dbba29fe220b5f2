package io.efftrain.jobs;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the stage jobs that turn one table into another ({@code dedup}, {@code score},
 * {@code prune}): {@code <config> --in TABLE [--scores SCORES] --out OUT [--set key=value]... [--overwrite]}.
 *
 * @param config the HOCON config file
 * @param in the input canonical table
 * @param scores the score table ({@code prune} only)
 * @param out where the output is committed
 * @param overrides {@code key=value} pairs applied after the file
 * @param overwrite replace an output made from other inputs or settings
 */
public record StageOptions(Path config, String in, String scores, String out, List<String> overrides,
                           boolean overwrite) {

    /** Parses the arguments after the subcommand; {@code needsScores} for prune. */
    public static StageOptions parse(String command, List<String> args, boolean needsScores) {
        String usage = "efftrain " + command + " <config.conf> --in TABLE" + (needsScores ? " --scores SCORES" : "")
                + " --out OUT [--set key=value]... [--overwrite]";
        Path config = null;
        String in = null;
        String scores = null;
        String out = null;
        boolean overwrite = false;
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--in" -> in = value(args, ++i, arg, usage);
                case "--scores" -> scores = value(args, ++i, arg, usage);
                case "--out" -> out = value(args, ++i, arg, usage);
                case "--set" -> overrides.add(value(args, ++i, arg, usage));
                case "--overwrite" -> overwrite = true;
                default -> {
                    if (arg.startsWith("-") || config != null) {
                        throw new EfftrainException(ExitCode.USAGE, "unexpected argument " + arg + ". Usage: " + usage);
                    }
                    config = Path.of(arg);
                }
            }
        }
        if (config == null || in == null || out == null || (needsScores && scores == null)) {
            throw new EfftrainException(ExitCode.USAGE, "missing arguments. Usage: " + usage);
        }
        return new StageOptions(config, PrepareJob.tableUri(in), scores == null ? null : PrepareJob.tableUri(scores),
                PrepareJob.tableUri(out), List.copyOf(overrides), overwrite);
    }

    private static String value(List<String> args, int i, String option, String usage) {
        if (i >= args.size()) {
            throw new EfftrainException(ExitCode.USAGE, option + " needs a value. Usage: " + usage);
        }
        return args.get(i);
    }
}
