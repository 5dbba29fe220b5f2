package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * How example scores are computed: proxy models of the configured type, trained briefly, then asked about
 * every training example.
 *
 * @param proxyEpochs epochs each proxy trains (forgetting events are counted at each epoch's end)
 * @param seeds independent proxies whose scores are averaged
 */
public record ScoringSettings(int proxyEpochs, int seeds) implements Serializable {
    static ScoringSettings read(ConfigReader c) {
        return new ScoringSettings(c.positiveInt("proxy-epochs"), c.positiveInt("seeds"));
    }
}
