package io.efftrain.datasets;

import io.efftrain.pipeline.error.EfftrainException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * Opens input files through Hadoop's file systems, so every source path may be local ({@code /data/x},
 * {@code file:/data/x}) or remote ({@code hdfs://nn:8020/data/x}); missing files get an error that says so.
 */
public final class HadoopFiles {
    private HadoopFiles() {
    }

    /** Opens a file for reading. */
    public static InputStream open(String path, Configuration conf) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            return fs.open(p);
        } catch (FileNotFoundException e) {
            throw missing(path, e);
        } catch (IOException e) {
            throw EfftrainException.badInput(path + ": cannot open for reading: " + e.getMessage(), e);
        }
    }

    /** The file's status, or a bad-input error naming it if it does not exist or is a directory. */
    public static FileStatus status(String path, Configuration conf) {
        Path p = new Path(path);
        try {
            FileStatus status = p.getFileSystem(conf).getFileStatus(p);
            if (status.isDirectory()) {
                throw EfftrainException.badInput(path + ": is a directory, expected a file.");
            }
            return status;
        } catch (FileNotFoundException e) {
            throw missing(path, e);
        } catch (IOException e) {
            throw EfftrainException.badInput(path + ": cannot read its status: " + e.getMessage(), e);
        }
    }

    private static EfftrainException missing(String path, Exception cause) {
        String hint = path.contains("/usr/share/datasets/fashion-mnist")
                ? " Install the data set with: sudo apt-get install dataset-fashion-mnist"
                : " Check the path in the data.* keys of your config.";
        return EfftrainException.badInput(path + ": file does not exist." + hint, cause);
    }
}
