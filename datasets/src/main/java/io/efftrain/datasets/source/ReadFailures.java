package io.efftrain.datasets.source;

import io.efftrain.pipeline.error.EfftrainException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failure to read a source file inside a Spark job into bad input (exit 4) naming the file: Spark reports
 * such failures as "Encountered error while reading file F" (its FAILED_READ_FILE), and Hadoop's checksum files
 * and Parquet's decoders name what was damaged. Without this, a damaged Parquet file surfaced as an internal
 * failure (exit 1) behind a Spark stack trace.
 */
public final class ReadFailures {
    private static final Pattern SPARK_FILE = Pattern.compile("reading file (\\S+?)\\.?(\\s|$)");

    private ReadFailures() {
    }

    /** Efftrain's own error in the cause chain, or a read failure turned into one; empty for anything else. */
    public static Optional<EfftrainException> asBadInput(Throwable failure) {
        String file = null;
        String reason = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof EfftrainException known) {
                return Optional.of(known);
            }
            String message = String.valueOf(t.getMessage());
            Matcher m = SPARK_FILE.matcher(message);
            if (file == null && message.contains("Encountered error while reading file") && m.find()) {
                file = m.group(1);
            }
            String name = t.getClass().getName();
            if (name.endsWith("ChecksumException") || name.endsWith("ParquetDecodingException")
                    || name.endsWith("EOFException") || name.endsWith("ZipException")
                    || name.endsWith("CorruptedException") || message.contains("is not a Parquet file")) {
                reason = t.getClass().getSimpleName() + ": " + message.lines().findFirst().orElse("");
            }
        }
        if (file == null && reason == null) {
            return Optional.empty();
        }
        return Optional.of(EfftrainException.badInput((file != null ? file : "a source file") + ": cannot be read"
                + (reason != null ? " (" + reason + ")" : "") + ": the file is damaged or truncated. Re-create it.",
                failure));
    }
}
