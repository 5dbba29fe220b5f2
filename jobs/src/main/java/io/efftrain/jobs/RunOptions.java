package io.efftrain.jobs;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of {@code run}: {@code <config> [--run-dir DIR] [--set key=value]... [--overwrite]}.
 *
 * @param config the HOCON config file
 * @param runDir where the run is committed, or null for runs/&lt;name&gt;-&lt;timestamp&gt;
 * @param overrides {@code key=value} pairs, applied after the file
 * @param overwrite replace a completed run in {@code runDir}
 * @param resume continue a killed or failed run in {@code runDir} from its last checkpoint
 */
public record RunOptions(Path config, Path runDir, List<String> overrides, boolean overwrite, boolean resume) {

    /** Parses the arguments after the subcommand name. */
    public static RunOptions parse(List<String> args) {
        Path config = null;
        Path runDir = null;
        boolean overwrite = false;
        boolean resume = false;
        List<String> overrides = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--run-dir" -> runDir = Path.of(value(args, ++i, arg));
                case "--set" -> overrides.add(value(args, ++i, arg));
                case "--overwrite" -> overwrite = true;
                case "--resume" -> resume = true;
                default -> {
                    if (arg.startsWith("--set=")) {
                        overrides.add(arg.substring("--set=".length()));
                    } else if (arg.startsWith("--run-dir=")) {
                        runDir = Path.of(arg.substring("--run-dir=".length()));
                    } else if (arg.startsWith("-")) {
                        throw usage("unknown option " + arg);
                    } else if (config != null) {
                        throw usage("one config file only, got " + config + " and " + arg);
                    } else {
                        config = Path.of(arg);
                    }
                }
            }
        }
        if (config == null) {
            throw usage("missing the config file");
        }
        if (resume && runDir == null) {
            throw usage("--resume needs the --run-dir of the run to continue");
        }
        return new RunOptions(config, runDir, List.copyOf(overrides), overwrite, resume);
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw usage(option + " needs a value");
        }
        return args.get(i);
    }

    private static EfftrainException usage(String problem) {
        return new EfftrainException(ExitCode.USAGE, "run: " + problem + ". Usage: efftrain run <config.conf> "
                + "[--run-dir DIR] [--set key=value]... [--overwrite] [--resume]");
    }
}
