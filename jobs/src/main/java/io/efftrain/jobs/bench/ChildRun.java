package io.efftrain.jobs.bench;

import io.efftrain.jobs.Main;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.run.JavaFlags;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An efftrain command in a child JVM with a heap of its own, watched from outside: how the scale benchmark (and
 * test) show that a table larger than the heap trains within a small heap. The peaks of the child's resident memory
 * are sampled from /proc: anonymous memory (heap, ND4J's arrays, the JVM) apart from file pages (the page cache of
 * mapped spill files, which the kernel reclaims under pressure).
 *
 * @param exitCode the child's exit code
 * @param peakAnonymousMb the highest anonymous resident memory seen
 * @param peakResidentMb the highest resident memory seen, file pages included
 * @param seconds the child's wall time, JVM start included
 */
public record ChildRun(int exitCode, long peakAnonymousMb, long peakResidentMb, double seconds) {
    private static final long SAMPLE_MILLIS = 200;

    /**
     * Runs {@code Main} with {@code args} in a child JVM of {@code heapMb} MB of heap, output to {@code log}, and
     * waits for it.
     *
     * @param extraJvmOptions further JVM options (system properties)
     */
    public static ChildRun run(List<String> args, int heapMb, List<String> extraJvmOptions, Path log,
                               Ticker ticker) {
        Stopwatch start = Stopwatch.start(ticker);
        Process child = start(args, heapMb, extraJvmOptions, log);
        try {
            long anonymousKb = 0;
            long residentKb = 0;
            while (child.isAlive()) {
                anonymousKb = Math.max(anonymousKb, statusKb(child.pid(), "RssAnon:"));
                residentKb = Math.max(residentKb, statusKb(child.pid(), "VmRSS:"));
                Thread.sleep(SAMPLE_MILLIS);
            }
            return new ChildRun(child.exitValue(), anonymousKb / 1024, residentKb / 1024,
                    start.seconds());
        } catch (InterruptedException e) {
            child.destroy();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while a child JVM ran", e);
        }
    }

    /**
     * Starts {@code Main} with {@code args} in a child JVM of {@code heapMb} MB of heap, output to {@code log}, in
     * this JVM's working directory, with bin/efftrain's environment (one OpenMP thread, loopback Spark).
     */
    public static Process start(List<String> args, int heapMb, List<String> extraJvmOptions, Path log) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heapMb + "m");
        // ND4J's off-heap arrays get their own limit, as bin/efftrain gives them.
        command.add("-Dorg.bytedeco.javacpp.maxbytes=" + Math.max(512, heapMb) + "m");
        String log4j = System.getProperty("log4j2.configurationFile");
        if (log4j != null) {
            command.add("-Dlog4j2.configurationFile=" + log4j);
        }
        command.addAll(extraJvmOptions);
        command.addAll(Arrays.asList(JavaFlags.java17().split(" ")));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Main.class.getName());
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("OMP_NUM_THREADS", "1");
        builder.environment().putIfAbsent("SPARK_LOCAL_IP", "127.0.0.1");
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a child JVM", e);
        }
    }

    /** A field of /proc/PID/status in kB, or 0 when the process is gone or the field absent. */
    static long statusKb(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.substring(field.length()).trim().split("\\s+")[0]);
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
