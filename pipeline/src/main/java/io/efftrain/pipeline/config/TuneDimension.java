package io.efftrain.pipeline.config;

import com.typesafe.config.ConfigValue;
import java.util.List;

/**
 * One dimension of a search space: a config key and the values trials may give it (a log-uniform range is
 * already expanded into its grid here).
 *
 * @param key the config key, for example {@code train.optimizer.learning-rate}
 * @param values the candidate values, as HOCON values (null, numbers, strings, lists and objects alike)
 * @param where the key's place in the config for messages ({@code tune.space[2]})
 */
public record TuneDimension(String key, List<ConfigValue> values, String where) {
    public TuneDimension {
        values = List.copyOf(values);
    }
}
