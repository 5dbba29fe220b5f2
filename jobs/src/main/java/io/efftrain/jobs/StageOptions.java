package io.efftrain.jobs;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the jobs that write a table or a score table ({@code prepare}, {@code dedup},
 * {@code score}, {@code prune}): {@code <config> [--in TABLE] [--scores SCORES] --out OUT [--set key=value]...
 * [--overwrite]}. Locations stay strings (made absolute URIs), so {@code hdfs://} paths pass through intact.
 *
 * @param config the HOCON config file
 * @param in the input canonical table (null for prepare)
 * @param scores the score table ({@code prune} only)
 * @param out where the output is committed
 * @param overrides {@code key=value} pairs applied after the file
 * @param overwrite replace an output made from other inputs or settings
 */
public record StageOptions(Path config, String in, String scores, String out, List<String> overrides,
                           boolean overwrite) {

    /** Parses the arguments after a stage subcommand; {@code needsScores} for prune. */
    public static StageOptions parse(String command, List<String> args, boolean needsScores) {
        return parse(command, args, true, needsScores);
    }

    /** Parses the arguments after {@code prepare}, which reads its source from the config. */
    public static StageOptions parsePrepare(List<String> args) {
        return parseFromSource("prepare", args);
    }

    /** Parses the arguments after a command that reads the configured source ({@code prepare}, {@code export-csv}). */
    public static StageOptions parseFromSource(String command, List<String> args) {
        return parse(command, args, false, false);
    }

    private static StageOptions parse(String command, List<String> args, boolean needsInput, boolean needsScores) {
        String usage = "efftrain " + command + " <config.conf>" + (needsInput ? " --in TABLE" : "")
                + (needsScores ? " --scores SCORES" : "") + " --out OUT [--set key=value]... [--overwrite]";
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
        if (config == null || (needsInput && in == null) || out == null || (needsScores && scores == null)) {
            throw new EfftrainException(ExitCode.USAGE, "missing arguments. Usage: " + usage);
        }
        return new StageOptions(config, in == null ? null : PrepareJob.tableUri(in), scores == null ? null : PrepareJob.tableUri(scores),
                PrepareJob.tableUri(out), List.copyOf(overrides), overwrite);
    }

    private static String value(List<String> args, int i, String option, String usage) {
        if (i >= args.size()) {
            throw new EfftrainException(ExitCode.USAGE, option + " needs a value. Usage: " + usage);
        }
        return args.get(i);
    }
}
