package io.efftrain.trainers;

import io.efftrain.pipeline.config.RegularizationSettings;
import io.efftrain.pipeline.config.SamplingSettings;
import io.efftrain.pipeline.config.SelectiveBackpropSettings;
import io.efftrain.pipeline.config.TrainSettings;
import io.efftrain.trainers.algorithms.selectivebackprop.SelectiveBackpropAlgorithm;
import io.efftrain.pipeline.training.TrainingAlgorithm;
import io.efftrain.trainers.averaging.MinibatchState;
import io.efftrain.trainers.algorithms.cutmix.CutMixAlgorithm;
import io.efftrain.trainers.algorithms.freezing.LayerFreezing;
import io.efftrain.trainers.algorithms.labelsmoothing.LabelSmoothingAlgorithm;
import io.efftrain.trainers.algorithms.mixup.MixupAlgorithm;
import io.efftrain.trainers.model.InputShape;
import java.util.ArrayList;
import java.util.List;

/** The registry of worker-side algorithms: config settings to algorithm instances, in a fixed order. */
public final class WorkerAlgorithms {
    private WorkerAlgorithms() {
    }

    /** Every worker-side algorithm the training settings switch on: the regularisers, then layer freezing. */
    public static List<TrainingAlgorithm<MinibatchState>> of(TrainSettings settings, InputShape shape) {
        return of(settings, null, shape);
    }

    /**
     * The same, then selective backprop if the sampling settings (null: none) switch it on: it chooses among the
     * examples as the regularisers left them.
     */
    public static List<TrainingAlgorithm<MinibatchState>> of(TrainSettings settings, SamplingSettings sampling,
                                                            InputShape shape) {
        List<TrainingAlgorithm<MinibatchState>> out = new ArrayList<>(of(settings.regularization(), shape));
        settings.freezing().layers().ifPresent(k -> out.add(new LayerFreezing(k, settings.freezing().until())));
        if (sampling != null && sampling.selectiveBackprop().enabled()) {
            SelectiveBackpropSettings s = sampling.selectiveBackprop();
            out.add(new SelectiveBackpropAlgorithm(s.keep(), s.start(), s.end()));
        }
        return List.copyOf(out);
    }

    /**
     * The regularisers the settings switch on. Mixing (mixup, cutmix) runs before label smoothing, so smoothing
     * applies to the mixed targets.
     */
    public static List<TrainingAlgorithm<MinibatchState>> of(RegularizationSettings settings, InputShape shape) {
        List<TrainingAlgorithm<MinibatchState>> out = new ArrayList<>();
        settings.mixupAlpha().ifPresent(a -> out.add(new MixupAlgorithm(a)));
        settings.cutmixAlpha().ifPresent(a -> out.add(new CutMixAlgorithm(a, shape)));
        settings.labelSmoothing().ifPresent(e -> out.add(new LabelSmoothingAlgorithm(e)));
        return List.copyOf(out);
    }
}
