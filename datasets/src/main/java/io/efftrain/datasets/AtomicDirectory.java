package io.efftrain.datasets;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.run.OutputLock;
import io.efftrain.pipeline.run.OutputMarker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Commits a directory of outputs (a table, a score table) all at once on any Hadoop file system: everything is
 * written into a temporary sibling ({@code <name>.tmp}; no leading dot, since Spark treats dotted names as
 * hidden when it reads the copy back) and renamed into place when complete. A failure deletes the temporary
 * copy and leaves an earlier output untouched; an existing output is replaced only when asked, and only after
 * the new one is complete. The output is efftrain's alone ({@link OutputMarker}: a folder efftrain did not make is
 * refused, never replaced) and has one writer at a time ({@link OutputLock}).
 */
public final class AtomicDirectory {
    private AtomicDirectory() {
    }

    /**
     * @param path where the output appears
     * @param overwrite replace an existing output
     * @param writeInto writes everything into the temporary directory it is given
     */
    public static void commit(String path, boolean overwrite, Configuration hadoop, Consumer<String> writeInto) {
        Path target = new Path(path);
        Path tmp = new Path(target.getParent(), target.getName() + ".tmp");
        Path old = new Path(target.getParent(), target.getName() + ".old");
        try {
            FileSystem fs = target.getFileSystem(hadoop);
            OutputMarker.requireOwnedOrAbsent(fs, target, "--out");
            OutputMarker.requireOwnedOrAbsent(fs, tmp, "the temporary copy of --out");
            OutputMarker.requireOwnedOrAbsent(fs, old, "the replaced copy of --out");
            try (OutputLock lock = OutputLock.on(fs, target, "write " + target.getName())) {
                // Under the lock: an output another writer committed meanwhile counts as existing.
                if (fs.exists(target) && !overwrite) {
                    throw new EfftrainException(ExitCode.ALREADY_DONE, path + ": an output exists there already; "
                            + "choose another path or pass --overwrite.");
                }
                fs.delete(tmp, true);
                try {
                    writeInto.accept(tmp.toString());
                    OutputMarker.mark(fs, tmp);
                } catch (Throwable failure) {
                    // Throwable: Spark's SparkException is checked but thrown undeclared, and must not leave the
                    // temporary copy behind either.
                    fs.delete(tmp, true);
                    throw failure;
                }
                boolean replacing = fs.exists(target);
                if (replacing) {
                    fs.delete(old, true);
                    rename(fs, target, old);
                }
                rename(fs, tmp, target);
                if (replacing) {
                    fs.delete(old, true);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit " + path, e);
        }
    }

    /** Whether a committed output exists at {@code path}. */
    public static boolean exists(String path, Configuration hadoop) {
        Path target = new Path(path);
        try {
            return target.getFileSystem(hadoop).exists(target);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot check " + path, e);
        }
    }

    private static void rename(FileSystem fs, Path from, Path to) throws IOException {
        if (!fs.rename(from, to)) {
            throw new IOException("rename of " + from + " to " + to + " failed");
        }
    }
}
