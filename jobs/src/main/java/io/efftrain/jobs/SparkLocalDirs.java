package io.efftrain.jobs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Spark's scratch space for an embedded (local-mode) run: {@code efftrain-spark-<pid>} in the temporary
 * directory, so that the {@code spark-*} and {@code blockmgr-*} folders of a process killed with SIGKILL (which
 * runs no shutdown hook, one of them 23 MB) are known to be its own and removed by the next run, which finds their
 * process gone. Folders of live processes are left alone.
 */
final class SparkLocalDirs {
    static final String PREFIX = "efftrain-spark-";

    private SparkLocalDirs() {
    }

    /** This process's folder under {@code tmp}, after removing those of processes that no longer exist. */
    static Path forThisProcess(Path tmp) {
        removeStale(tmp);
        return tmp.resolve(PREFIX + ProcessHandle.current().pid());
    }

    /** Removes the folders of processes that no longer run; returns what it removed. */
    static List<Path> removeStale(Path tmp) {
        List<Path> removed = new ArrayList<>();
        if (!Files.isDirectory(tmp)) {
            return removed;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, PREFIX + "*")) {
            for (Path dir : dirs) {
                String pid = dir.getFileName().toString().substring(PREFIX.length());
                if (pid.chars().allMatch(Character::isDigit) && !pid.isEmpty()
                        && ProcessHandle.of(Long.parseLong(pid)).isEmpty()) {
                    io.efftrain.pipeline.run.RunDirectory.deleteRecursively(dir);
                    removed.add(dir);
                }
            }
        } catch (IOException e) {
            // Scratch space of dead processes costs disk, not correctness: say so and go on.
            System.err.println("efftrain: warning: cannot remove stale Spark scratch folders in " + tmp + ": " + e);
        }
        return removed;
    }
}
