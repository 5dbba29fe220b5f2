package io.efftrain.jobs.ml;

import io.efftrain.pipeline.error.EfftrainException;
import java.util.concurrent.Callable;

/**
 * Brings a row check that failed on an executor back to the driver as the {@link EfftrainException} it was: Spark
 * wraps a task's exception in a SparkException whose message starts with stage and task numbers, and the user
 * should read "column 'label', row 17: ..." first.
 */
final class BadRows {
    private BadRows() {
    }

    static <T> T surface(Callable<T> action) {
        try {
            return action.call();
        } catch (Exception e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof EfftrainException known) {
                    throw new EfftrainException(known.exitCode(), known.getMessage(), e);
                }
            }
            throw BadRows.<RuntimeException>sneaky(e);
        }
    }

    /** Rethrows Spark's checked SparkException unchanged (Java cannot see that Scala code throws it). */
    @SuppressWarnings("unchecked")
    private static <E extends Exception> E sneaky(Exception e) throws E {
        throw (E) e;
    }
}
