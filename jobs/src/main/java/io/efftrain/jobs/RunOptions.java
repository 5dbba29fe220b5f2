package io.efftrain.jobs;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code run}: {@code <config> [--run-dir DIR] [--set key=value]... [--overwrite]
 * [--resume]}.
 *
 * @param config the HOCON config file
 * @param runDir where the run is committed, or null for runs/&lt;name&gt;-&lt;timestamp&gt;
 * @param overrides {@code key=value} pairs, applied after the file
 * @param overwrite replace a completed run in {@code runDir}
 * @param resume continue a killed or failed run in {@code runDir} from its last checkpoint
 */
public record RunOptions(Path config, Path runDir, List<String> overrides, boolean overwrite, boolean resume,
                         boolean skipIfDone) {

    /** Options without {@code --skip-if-done}. */
    public RunOptions(Path config, Path runDir, List<String> overrides, boolean overwrite, boolean resume) {
        this(config, runDir, overrides, overwrite, resume, false);
    }

    private static final String RUN_USAGE = "efftrain run <config.conf> [--run-dir DIR] [--set key=value]... "
            + "[--overwrite] [--resume] [--skip-if-done]";

    /** Parses the arguments after {@code run}. */
    public static RunOptions parse(List<String> args) {
        return parse(args, "--run-dir", RUN_USAGE);
    }

    private static RunOptions parse(List<String> args, String location, String usage) {
        Path config = null;
        Path runDir = null;
        boolean overwrite = false;
        boolean resume = false;
        boolean skipIfDone = false;
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(location)) {
                runDir = Path.of(value(args, ++i, arg, usage));
                continue;
            }
            switch (arg) {
                case "--set" -> overrides.add(value(args, ++i, arg, usage));
                case "--overwrite" -> overwrite = true;
                case "--resume" -> resume = true;
                case "--skip-if-done" -> skipIfDone = true;
                default -> {
                    if (arg.startsWith("--set=")) {
                        overrides.add(arg.substring("--set=".length()));
                    } else if (arg.startsWith(location + "=")) {
                        runDir = Path.of(arg.substring(location.length() + 1));
                    } else if (arg.startsWith("-")) {
                        throw usage("unknown option " + arg, usage);
                    } else if (config != null) {
                        throw usage("one config file only, got " + config + " and " + arg, usage);
                    } else {
                        config = Path.of(arg);
                    }
                }
            }
        }
        if (config == null) {
            throw usage("missing the config file", usage);
        }
        if (resume && runDir == null) {
            throw usage("--resume needs the --run-dir of the run to continue", usage);
        }
        if (skipIfDone && runDir == null) {
            throw usage("--skip-if-done needs the --run-dir to look in", usage);
        }
        return new RunOptions(config, runDir, List.copyOf(overrides), overwrite, resume, skipIfDone);
    }

    private static String value(List<String> args, int i, String option, String usage) {
        if (i >= args.size()) {
            throw usage(option + " needs a value", usage);
        }
        return args.get(i);
    }

    private static EfftrainException usage(String problem, String usage) {
        return new EfftrainException(ExitCode.USAGE, problem + ". Usage: " + usage);
    }
}
