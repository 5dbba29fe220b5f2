package io.efftrain.jobs.report;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.run.RunDirectory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * report.html: a run directory (or several, overlaid) as one self-contained page a person reads at a glance.
 * {@link #write} is what {@code run} and {@code incubate} call before committing; {@link #command} is
 * {@code efftrain report RUN_DIR [RUN_DIR...] [--out FILE]}.
 */
public final class RunReport {
    /** The page's file name in a run directory, and the default of {@code --out}. */
    public static final String FILE = "report.html";

    private RunReport() {
    }

    /**
     * Writes the plots (PNG) and report.html into {@code runDir}. A report is a convenience: a failure to draw it
     * is logged and reported as {@code false}, never thrown, so it cannot cost a finished training run.
     */
    public static boolean write(Path runDir) {
        try {
            writeOrFail(runDir);
            return true;
        } catch (Exception | Error failure) {
            // A JDK without fonts or native AWT libraries fails with Errors (InternalError, UnsatisfiedLinkError,
            // AWTError); those cost only the report. A JVM out of memory or stack is not the report's to hide.
            if (failure instanceof VirtualMachineError && !(failure instanceof InternalError)) {
                throw (Error) failure;
            }
            LoggerFactory.getLogger(RunReport.class).warn("could not write {} into {}; the run is not affected",
                    FILE, runDir, failure);
            return false;
        }
    }

    /** {@link #write}, with its failures thrown. */
    static void writeOrFail(Path runDir) {
        List<ReportedRun> runs = List.of(ReportedRun.read(runDir));
        List<ReportPlots.Plot> plots = ReportPlots.draw(runs);
        for (ReportPlots.Plot plot : plots) {
            RunDirectory.writeAtomically(runDir.resolve(plot.file()), plot.png());
        }
        RunDirectory.writeAtomically(runDir.resolve(FILE),
                ReportHtml.render(runs, plots).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * One page overlaying several runs, one line per run labelled by its directory's name, written to {@code out}.
     * An existing {@code out} is replaced only if it is an efftrain report (exit code 6 otherwise), so a typo in
     * {@code --out} cannot destroy someone's file.
     */
    public static Path compare(List<Path> runDirs, Path out) {
        if (Files.exists(out) && !isReport(out)) {
            throw new EfftrainException(ExitCode.ALREADY_DONE, out + " exists and is not an efftrain report;"
                    + " choose another --out (efftrain replaces only its own reports).");
        }
        List<ReportedRun> runs = new ArrayList<>();
        for (Path dir : runDirs) {
            runs.add(ReportedRun.read(dir));
        }
        String html = ReportHtml.render(runs, ReportPlots.draw(runs));
        try {
            Path parent = out.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw EfftrainException.badInput("cannot create the folder of " + out + " (" + e.getMessage() + ").", e);
        }
        RunDirectory.writeAtomically(out, html.getBytes(StandardCharsets.UTF_8));
        return out;
    }

    /**
     * {@code report RUN_DIR [RUN_DIR...] [--out FILE]}: the command line's arguments after "report".
     *
     * @return the page written
     */
    public static Path command(List<String> args) {
        List<Path> runs = new ArrayList<>();
        Path out = Path.of(FILE);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--out")) {
                if (i + 1 >= args.size()) {
                    throw new EfftrainException(ExitCode.USAGE, "report: --out needs a file name.");
                }
                out = Path.of(args.get(++i));
            } else if (arg.startsWith("--out=")) {
                out = Path.of(arg.substring("--out=".length()));
            } else if (arg.startsWith("--")) {
                throw new EfftrainException(ExitCode.USAGE, "report: unknown option " + arg
                        + "; usage: report RUN_DIR [RUN_DIR...] [--out FILE]");
            } else {
                runs.add(Path.of(arg));
            }
        }
        if (runs.isEmpty()) {
            throw new EfftrainException(ExitCode.USAGE, "report: name at least one run directory;"
                    + " usage: report RUN_DIR [RUN_DIR...] [--out FILE]");
        }
        return compare(runs, out);
    }

    /** Whether {@code file} is a page this class wrote: its head carries the generator tag. */
    public static boolean isReport(Path file) {
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (InputStream in = Files.newInputStream(file)) {
            String head = new String(in.readNBytes(4096), StandardCharsets.UTF_8);
            return head.contains(ReportHtml.GENERATOR);
        } catch (IOException e) {
            return false;
        }
    }
}
