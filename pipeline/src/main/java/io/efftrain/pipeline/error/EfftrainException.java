package io.efftrain.pipeline.error;

/**
 * A failure that efftrain understands well enough to tell the user what to do about it; the exit code tells a
 * scheduler which kind of failure it was. Anything else that escapes a job is an internal failure.
 */
public class EfftrainException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final ExitCode exitCode;

    public EfftrainException(ExitCode exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    public EfftrainException(ExitCode exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    public ExitCode exitCode() {
        return exitCode;
    }

    /** Bad input data: names the file, record and what was expected. */
    public static EfftrainException badInput(String message) {
        return new EfftrainException(ExitCode.BAD_INPUT, message);
    }

    /** Bad input data with the underlying I/O cause. */
    public static EfftrainException badInput(String message, Throwable cause) {
        return new EfftrainException(ExitCode.BAD_INPUT, message, cause);
    }

    /** Bad configuration: names the key and the expected value. */
    public static EfftrainException badConfig(String message) {
        return new EfftrainException(ExitCode.BAD_CONFIG, message);
    }
}
