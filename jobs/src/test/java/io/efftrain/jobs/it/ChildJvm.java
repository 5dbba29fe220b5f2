package io.efftrain.jobs.it;

import io.efftrain.pipeline.run.JavaFlags;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM a test starts (with the Java 17 flags Spark needs and {@code SPARK_LOCAL_IP=127.0.0.1}), directly or through
 * a launcher script ({@code bin/efftrain}), its standard
 * output and error kept in files. {@link #close()} ends it and every process it started, so a failing test leaves
 * no Spark daemon or executor behind.
 */
final class ChildJvm implements AutoCloseable {
    private final String name;
    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final long started = System.nanoTime();
    private volatile long ended;

    private ChildJvm(String name, Process process, Path stdout, Path stderr) {
        this.name = name;
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        process.onExit().thenRun(() -> ended = System.nanoTime());
    }

    /** How to start one child JVM. */
    static final class Spec {
        private final String name;
        private final String mainClass;
        private Path launcher;
        private final List<String> classPath = new ArrayList<>();
        private final List<String> jvmOptions = new ArrayList<>();
        private final List<String> arguments = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path workingDirectory;
        private Path stdin;

        Spec(String name, String mainClass) {
            this.name = name;
            this.mainClass = mainClass;
            environment.put("SPARK_LOCAL_IP", "127.0.0.1");
            environment.put("OMP_NUM_THREADS", "1");
        }

        /**
         * A JVM that a launcher script starts (bin/efftrain) with its own flags and class path: the command is the
         * script and the {@link #arguments}; class path and JVM options set here are not used.
         */
        static Spec launchedBy(String name, Path script) {
            Spec spec = new Spec(name, null);
            spec.launcher = script;
            return spec;
        }

        Spec classPath(String entry) {
            classPath.add(entry);
            return this;
        }

        Spec jvmOptions(String... options) {
            jvmOptions.addAll(Arrays.asList(options));
            return this;
        }

        Spec arguments(String... args) {
            arguments.addAll(Arrays.asList(args));
            return this;
        }

        Spec arguments(List<String> args) {
            arguments.addAll(args);
            return this;
        }

        Spec environment(String key, String value) {
            environment.put(key, value);
            return this;
        }

        Spec workingDirectory(Path dir) {
            workingDirectory = dir;
            return this;
        }

        /** A file fed to the child's standard input. */
        Spec stdin(Path file) {
            stdin = file;
            return this;
        }

        /** Starts the JVM; its output goes to {@code <logDir>/<name>.out} and {@code .err}. */
        ChildJvm start(Path logDir) {
            List<String> command = new ArrayList<>();
            if (launcher != null) {
                command.add(launcher.toString());
            } else {
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(Arrays.asList(JavaFlags.java17().split(" ")));
                command.addAll(jvmOptions);
                command.add("-cp");
                command.add(String.join(File.pathSeparator, classPath));
                command.add(mainClass);
            }
            command.addAll(arguments);
            Path out = logDir.resolve(name + ".out");
            Path err = logDir.resolve(name + ".err");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            if (stdin != null) {
                builder.redirectInput(stdin.toFile());
            }
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            builder.environment().putAll(environment);
            try {
                Files.createDirectories(logDir);
                return new ChildJvm(name, builder.start(), out, err);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start " + name + ": " + command, e);
            }
        }
    }

    String name() {
        return name;
    }

    /** Seconds since the JVM was started, to the end of its process if it has ended. */
    long seconds() {
        long end = ended != 0 ? ended : System.nanoTime();
        return TimeUnit.NANOSECONDS.toSeconds(end - started);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** The JVM's process, to find the processes it started (a Worker's executors). */
    ProcessHandle handle() {
        return process.toHandle();
    }

    /** Ends the JVM at once with SIGKILL, as {@code kill -9} would (no shutdown hook runs), and waits until it is gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Waits for the JVM to end on its own; returns its exit code, or empty when it is still running. */
    java.util.OptionalInt waitFor(long timeout, TimeUnit unit) throws InterruptedException {
        return process.waitFor(timeout, unit) ? java.util.OptionalInt.of(process.exitValue())
                : java.util.OptionalInt.empty();
    }

    String stdout() {
        return read(stdout);
    }

    String stderr() {
        return read(stderr);
    }

    /** The end of both outputs, for assertion messages. */
    String tail() {
        return "--- " + name + " stdout ---\n" + last(stdout(), 60) + "\n--- " + name + " stderr ---\n"
                + last(stderr(), 120);
    }

    /**
     * Asks the JVM to stop (SIGTERM: a Spark Worker's shutdown hook kills its executors), forces it after a grace
     * period, then ends whatever it started that is still running.
     */
    @Override
    public void close() {
        // Taken before the parent ends: orphans are re-parented and would no longer be found as descendants.
        List<ProcessHandle> started = process.descendants().toList();
        stop(process.toHandle());
        started.forEach(ChildJvm::stop);
    }

    private static void stop(ProcessHandle handle) {
        if (!handle.isAlive()) {
            return;
        }
        handle.destroy();
        try {
            handle.onExit().get(20, TimeUnit.SECONDS);
        } catch (Exception stillRunning) {
            handle.destroyForcibly();
            handle.onExit().join();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "(cannot read " + file + ": " + e + ")";
        }
    }

    static String last(String text, int lines) {
        List<String> all = text.lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }
}
