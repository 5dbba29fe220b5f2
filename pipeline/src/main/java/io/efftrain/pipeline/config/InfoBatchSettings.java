package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * InfoBatch's dynamic pruning (Qin et al., ICLR 2024).
 *
 * @param enabled whether training prunes well-learned examples epoch by epoch
 * @param pruneRatio the share of the well-learned (below-mean loss) examples skipped each epoch
 * @param anneal the fraction of the budget from which every epoch uses all data again
 */
public record InfoBatchSettings(boolean enabled, double pruneRatio, double anneal) implements Serializable {
    static InfoBatchSettings read(ConfigReader c) {
        double ratio = c.fraction("prune-ratio");
        double anneal = c.fraction("anneal");
        return new InfoBatchSettings(c.bool("enabled"), ratio, anneal);
    }
}
