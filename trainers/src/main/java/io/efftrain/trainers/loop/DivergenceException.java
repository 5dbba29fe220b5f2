package io.efftrain.trainers.loop;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;

/** Training produced a NaN or infinite loss; the last good model is kept by the caller. */
public final class DivergenceException extends EfftrainException {
    private static final long serialVersionUID = 1L;

    public DivergenceException(String message) {
        super(ExitCode.DIVERGED, message);
    }
}
