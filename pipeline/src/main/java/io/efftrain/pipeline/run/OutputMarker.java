package io.efftrain.pipeline.run;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.fs.FileSystem;

/**
 * Marks a folder as efftrain's own output, so that efftrain never writes into, replaces or deletes a folder it
 * did not make ({@code --run-dir .} or a home folder must not be wiped). Every run directory, table and staging
 * copy gets the marker file {@value #NAME} when it is created. A folder counts as efftrain's when it has the
 * marker, or the files an earlier version of efftrain left in every output ({@code _SUCCESS} with a run's
 * {@code manifest.json}, or a table's {@code _manifest.json} or {@code _scores.json}); an empty folder is free to
 * use. Anything else is refused with {@link ExitCode#ALREADY_DONE}, whatever {@code --overwrite} says.
 */
public final class OutputMarker {
    /** The marker file's name. */
    public static final String NAME = "_EFFTRAIN";
    private static final String CONTENT = "This folder was written by efftrain; efftrain may replace or delete it.\n";
    private static final List<String> EARLIER_VERSIONS = List.of("_manifest.json", "_scores.json");

    private OutputMarker() {
    }

    /**
     * Refuses {@code folder} unless it does not exist, is empty or is efftrain's.
     *
     * @param what how the user named it, for the message ({@code "--run-dir"}, {@code "--out"})
     */
    public static void requireOwnedOrAbsent(Path folder, String what) {
        if (!Files.exists(folder)) {
            return;
        }
        if (!Files.isDirectory(folder)) {
            throw notOurs(folder.toString(), what, "is a file");
        }
        try (Stream<Path> entries = Files.list(folder)) {
            List<String> names = entries.map(p -> p.getFileName().toString()).toList();
            if (!names.isEmpty() && !owned(names)) {
                throw notOurs(folder.toString(), what, "is a folder efftrain did not make (no " + NAME + " in it)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    /** {@link #requireOwnedOrAbsent(Path, String)} on a Hadoop file system. */
    public static void requireOwnedOrAbsent(FileSystem fs, org.apache.hadoop.fs.Path folder, String what) {
        try {
            if (!fs.exists(folder)) {
                return;
            }
            if (!fs.getFileStatus(folder).isDirectory()) {
                throw notOurs(folder.toString(), what, "is a file");
            }
            List<String> names = Stream.of(fs.listStatus(folder)).map(s -> s.getPath().getName()).toList();
            if (!names.isEmpty() && !owned(names)) {
                throw notOurs(folder.toString(), what, "is a folder efftrain did not make (no " + NAME + " in it)");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder, e);
        }
    }

    private static boolean owned(List<String> names) {
        return names.contains(NAME) || names.stream().anyMatch(EARLIER_VERSIONS::contains)
                || (names.contains(RunDirectory.SUCCESS) && names.contains("manifest.json"));
    }

    private static EfftrainException notOurs(String folder, String what, String why) {
        return new EfftrainException(ExitCode.ALREADY_DONE, what + " " + folder + " " + why
                + "; efftrain writes only into new or empty folders or its own outputs, and never deletes anything "
                + "else, even with --overwrite. Choose a new path.");
    }

    /** Puts the marker into a local folder efftrain has just made. */
    public static void mark(Path folder) {
        try {
            Files.writeString(folder.resolve(NAME), CONTENT, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + folder.resolve(NAME), e);
        }
    }

    /** Puts the marker into a folder efftrain has just made on a Hadoop file system. */
    public static void mark(FileSystem fs, org.apache.hadoop.fs.Path folder) {
        org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(folder, NAME);
        try (OutputStream out = fs.create(file, true)) {
            out.write(CONTENT.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
