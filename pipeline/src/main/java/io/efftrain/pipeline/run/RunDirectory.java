package io.efftrain.pipeline.run;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * A run's output directory, committed as a whole. A run writes into a staging sibling
 * ({@code .<name>.staging}); {@link #commit()} writes {@code _SUCCESS} last and renames the staging directory
 * into place. So the run directory either does not exist, or holds a complete run: a failed or killed run leaves
 * an earlier completed run untouched, and a scheduler that sees the directory can trust it.
 *
 * <p>The directory is efftrain's alone ({@link OutputMarker}: a folder it did not make is refused, never wiped)
 * and has one writer at a time ({@link OutputLock}, held from {@link #create} until {@link #commit},
 * {@link #abandon} or {@link #close}).
 */
public final class RunDirectory implements AutoCloseable {
    /** Marks a complete run; written last. */
    public static final String SUCCESS = "_SUCCESS";

    private final Path target;
    private final Path staging;
    private final OutputLock lock;

    private RunDirectory(Path target, Path staging, OutputLock lock) {
        this.target = target;
        this.staging = staging;
        this.lock = lock;
    }

    /**
     * Prepares a fresh staging directory for a run that will be committed to {@code target}.
     *
     * @param overwrite replace a completed run at {@code target} (only when the new run commits)
     * @throws EfftrainException with {@link ExitCode#ALREADY_DONE} if {@code target} holds a completed run and
     *     overwrite is off
     */
    public static RunDirectory create(Path target, boolean overwrite) {
        return create(target, overwrite, false);
    }

    /**
     * Like {@link #create(Path, boolean)}; with {@code resume}, an existing staging directory (a run that was
     * killed or failed) is kept so the run can continue from what it holds.
     */
    public static RunDirectory create(Path target, boolean overwrite, boolean resume) {
        Path absolute = target.toAbsolutePath().normalize();
        OutputMarker.requireOwnedOrAbsent(absolute, "--run-dir");
        Path staging = absolute.resolveSibling("." + absolute.getFileName() + ".staging");
        OutputMarker.requireOwnedOrAbsent(staging, "the staging folder of --run-dir");
        OutputLock lock = OutputLock.local(absolute, resume ? "resume" : "run");
        try {
            // Under the lock: a run that committed while this one waited counts as completed.
            if (Files.exists(absolute.resolve(SUCCESS)) && !overwrite) {
                throw new EfftrainException(ExitCode.ALREADY_DONE, "run directory " + absolute
                        + " already holds a completed run (it has _SUCCESS). Choose another --run-dir, or pass "
                        + "--overwrite to replace it once the new run succeeds.");
            }
            if (!(resume && Files.isDirectory(staging))) {
                deleteRecursively(staging);
                Files.createDirectories(staging);
            }
            OutputMarker.mark(staging);
        } catch (IOException e) {
            lock.close();
            throw new EfftrainException(ExitCode.BAD_CONFIG, "cannot create the staging directory " + staging
                    + " for run directory " + absolute + ": " + e + ". Check that its parent is writable.", e);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        return new RunDirectory(absolute, staging, lock);
    }

    /** Whether {@code target} has a run that was started and not committed, so {@code --resume} has work to do. */
    public static boolean hasUnfinishedRun(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        return Files.isDirectory(absolute.resolveSibling("." + absolute.getFileName() + ".staging"));
    }

    /** The directory the run is committed to. */
    public Path target() {
        return target;
    }

    /** Where the run writes until it commits. */
    public Path staging() {
        return staging;
    }

    /** A path inside the staging directory. */
    public Path resolve(String relative) {
        return staging.resolve(relative);
    }

    /** Writes a file in one step: to a temporary name, then renamed, so readers never see half of it. */
    public void writeAtomically(String relative, String content) {
        writeAtomically(resolve(relative), content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes {@code bytes} to {@code file} through a temporary sibling and an atomic rename. */
    public static void writeAtomically(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, bytes);
            moveAtomically(tmp, file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Renames {@code from} to {@code to} atomically where the file system can, replacing {@code to}. */
    public static void moveAtomically(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Completes the run: {@code _SUCCESS} is written last into the staging directory, which then replaces the
     * target. An earlier run at the target is removed only after the new one is in place.
     */
    public void commit() {
        try {
            writeAtomically(SUCCESS, "");
            Path replaced = null;
            if (Files.exists(target)) {
                replaced = target.resolveSibling("." + target.getFileName() + ".replaced");
                deleteRecursively(replaced);
                Files.move(target, replaced, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            if (replaced != null) {
                deleteRecursively(replaced);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot commit run directory " + target + " from " + staging, e);
        } finally {
            lock.close();
        }
    }

    /** Removes the staging directory of a run that failed, so no partial output is left behind. */
    public void abandon() {
        try {
            deleteRecursively(staging);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove the staging directory " + staging, e);
        } finally {
            lock.close();
        }
    }

    /** Releases the lock, keeping whatever the staging directory holds (a checkpoint to resume from). */
    @Override
    public void close() {
        lock.close();
    }

    /** Deletes a file tree if it exists. */
    public static void deleteRecursively(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
