package io.efftrain.pipeline.config;

import java.io.Serializable;
import java.util.Optional;

/**
 * The train and (optional) test location of a file-based source, local paths or Hadoop URIs. Without a test
 * location, the test split is carved out of the training data (see {@link SplitSettings}).
 */
public record SplitPaths(Optional<String> train, Optional<String> test) implements Serializable {
    static SplitPaths read(ConfigReader c) {
        return new SplitPaths(c.optional("train", c::string), c.optional("test", c::string));
    }
}
