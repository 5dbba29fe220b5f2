package io.efftrain.pipeline.config;

import java.util.Optional;
import java.io.Serializable;

/**
 * How example scores are computed: proxy models of the configured type, trained briefly, then asked about
 * every training example.
 *
 * @param proxyEpochs epochs each proxy trains (forgetting events are counted at each epoch's end)
 * @param seeds independent proxies whose scores are averaged
 * @param table a score table made earlier by the score job, which {@code run} then uses instead of scoring
 */
public record ScoringSettings(int proxyEpochs, int seeds, Optional<String> table) implements Serializable {
    static ScoringSettings read(ConfigReader c) {
        return new ScoringSettings(c.positiveInt("proxy-epochs"), c.positiveInt("seeds"), c.optional("table", c::string));
    }
}
