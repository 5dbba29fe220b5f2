package io.efftrain.jobs;

import com.typesafe.config.ConfigFactory;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.trainers.model.InputShape;
import java.io.Serializable;
import java.util.List;

/**
 * One trial on one rung, in a form that travels to the executor that trains it: the complete run config (as HOCON
 * text, which every JVM parses the same way), where its training blocks and held-out splits are, and where it
 * writes its metrics.
 *
 * @param trial the trial's number (its values in the space)
 * @param rung the rung
 * @param fraction the share of one full training
 * @param config the trial's resolved run config
 * @param blockFiles the training blocks, one file per worker, exactly the blocks {@code run} would train on
 * @param table the canonical table (its validation and test splits)
 * @param classes the data's class count
 * @param shape one example's shape
 * @param directory the trial's output directory (a path every executor can reach)
 * @param evaluateTest also measure the test split (only for the full training of a possible winner; never used
 *     to judge)
 */
record TuneTrial(int trial, int rung, double fraction, String config, List<String> blockFiles, String table,
                 int classes, InputShape shape, String directory, boolean evaluateTest) implements Serializable {
    private static final long serialVersionUID = 1L;

    TuneTrial {
        blockFiles = List.copyOf(blockFiles);
    }

    /** The config, parsed again where the trial runs. */
    EfftrainConfig parsedConfig() {
        return EfftrainConfig.of(ConfigFactory.parseString(config).resolve());
    }

    /** The trial directory's name, also its label in report.html. */
    static String name(int trial, int rung) {
        return String.format(java.util.Locale.ROOT, "trial-%02d-rung-%d", trial, rung);
    }
}
