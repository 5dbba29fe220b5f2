package io.efftrain.pipeline.error;

/**
 * The process exit codes of every efftrain job. Schedulers (Airflow and the like) branch on them, so they are
 * part of the public contract and never renumbered.
 */
public enum ExitCode {
    /** The job finished and its outputs are committed. */
    DONE(0),
    /** Something inside efftrain or its platform failed; the message says what. Retrying may help. */
    INTERNAL_FAILURE(1),
    /** The command line was malformed (unknown subcommand or option). */
    USAGE(2),
    /** The configuration has an unknown key, a wrong type or an impossible value. Fix the config. */
    BAD_CONFIG(3),
    /** An input file or record is missing, unreadable or malformed. Fix the data. */
    BAD_INPUT(4),
    /** The budget ran out before the configured target was reached. Outputs are committed. */
    BUDGET_EXHAUSTED(5),
    /**
     * The output already holds a completed run or table (pass --overwrite or choose another path), or it is a
     * folder efftrain did not make, which it never writes into or deletes.
     */
    ALREADY_DONE(6),
    /** Training diverged (NaN or infinite loss or parameters). */
    DIVERGED(7),
    /** Another efftrain process is writing the same output now (its lock names it); retry once it has finished. */
    BUSY(8),
    /**
     * Stopped by a termination signal at a round boundary, with a checkpoint: rerun with --resume. (A process
     * stopped by SIGTERM exits with 143 whatever it reports; this code is what the notebook facade sees.)
     */
    TERMINATED(9);

    private final int code;

    ExitCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
