package io.efftrain.trainers;

import io.efftrain.pipeline.config.CurriculumSettings;
import io.efftrain.pipeline.config.SamplingSettings;
import io.efftrain.pipeline.config.TrainSettings;
import io.efftrain.trainers.algorithms.curriculum.CurriculumAlgorithm;
import io.efftrain.trainers.algorithms.infobatch.InfoBatchAlgorithm;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.algorithms.ema.EmaAlgorithm;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.algorithms.stopping.PlateauStop;
import io.efftrain.trainers.algorithms.stopping.TargetAccuracyStop;
import io.efftrain.trainers.algorithms.swa.SwaAlgorithm;
import java.util.ArrayList;
import java.util.List;

/** The registry of driver-side algorithms: config settings to algorithm instances with fresh state, in a fixed order. */
public final class DriverAlgorithms {
    private DriverAlgorithms() {
    }

    /**
     * The algorithms the settings switch on: weight averaging first (so the final model is the average before
     * anything reads it at FIT_END), then the stopping rules.
     */
    public static List<TrainingAlgorithm<TrainingState>> of(TrainSettings settings) {
        return of(settings, null, 0);
    }

    /**
     * The same, and first the data-choosing algorithms the sampling settings switch on (InfoBatch or a
     * curriculum; the config allows one of them).
     *
     * @param sampling the sampling settings, or null for none
     * @param seed the run seed
     */
    public static List<TrainingAlgorithm<TrainingState>> of(TrainSettings settings, SamplingSettings sampling,
                                                           long seed) {
        List<TrainingAlgorithm<TrainingState>> out = new ArrayList<>();
        if (sampling != null && sampling.infoBatch().enabled()) {
            out.add(new InfoBatchAlgorithm(sampling.infoBatch().pruneRatio(), sampling.infoBatch().anneal(), seed,
                    settings.batchSize()));
        }
        if (sampling != null && sampling.curriculum().enabled()) {
            CurriculumSettings c = sampling.curriculum();
            out.add(new CurriculumAlgorithm(c.pacing(), c.startFraction(), c.fullAt(), seed, settings.batchSize()));
        }
        settings.weightAveraging().emaDecay().ifPresent(d -> out.add(new EmaAlgorithm(d)));
        settings.weightAveraging().swaStart().ifPresent(s -> out.add(new SwaAlgorithm(s)));
        settings.evaluation().targetAccuracy().ifPresent(t -> out.add(new TargetAccuracyStop(t)));
        settings.evaluation().patience().ifPresent(p -> out.add(new PlateauStop(p)));
        return out;
    }
}
