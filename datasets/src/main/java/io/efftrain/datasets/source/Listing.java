package io.efftrain.datasets.source;

import io.efftrain.pipeline.error.EfftrainException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Lists source locations through Hadoop's file systems (local or {@code hdfs://}), in a fixed order so that
 * source order, and with it the ids of exact copies, is the same on every rerun. Hidden files ({@code .x},
 * {@code _x}) are skipped, as Spark does.
 */
public final class Listing {
    private Listing() {
    }

    /** The files of {@code location}: itself if it is a file, else its visible files, sorted by name. */
    public static List<String> files(String location, Configuration hadoop, String key) {
        List<String> out = new ArrayList<>();
        for (FileStatus s : entries(location, hadoop, key)) {
            if (s.isFile()) {
                out.add(s.getPath().toString());
            }
        }
        if (out.isEmpty()) {
            throw EfftrainException.badInput(location + ": holds no files (" + key + "); the source is empty.");
        }
        return out;
    }

    /** The visible sub-directories of a directory, sorted by name. */
    public static List<FileStatus> directories(String location, Configuration hadoop, String key) {
        List<FileStatus> out = new ArrayList<>();
        for (FileStatus s : entries(location, hadoop, key)) {
            if (s.isDirectory()) {
                out.add(s);
            }
        }
        return out;
    }

    private static List<FileStatus> entries(String location, Configuration hadoop, String key) {
        Path path = new Path(location);
        try {
            FileSystem fs = path.getFileSystem(hadoop);
            FileStatus status = fs.getFileStatus(path);
            if (status.isFile()) {
                return List.of(status);
            }
            FileStatus[] children = fs.listStatus(path);
            return Arrays.stream(children)
                    .filter(c -> !c.getPath().getName().startsWith(".") && !c.getPath().getName().startsWith("_"))
                    .sorted(Comparator.comparing(c -> c.getPath().getName()))
                    .toList();
        } catch (FileNotFoundException e) {
            throw EfftrainException.badInput(location + ": does not exist. Check " + key + " in your config.", e);
        } catch (IOException e) {
            throw EfftrainException.badInput(location + ": cannot be listed (" + e.getMessage() + "). Check " + key
                    + " and its permissions.", e);
        }
    }
}
