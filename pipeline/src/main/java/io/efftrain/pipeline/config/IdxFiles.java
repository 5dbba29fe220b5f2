package io.efftrain.pipeline.config;

import java.io.Serializable;

/**
 * The four files of an MNIST-style IDX data set (gzip or plain), as local paths or Hadoop URIs.
 */
public record IdxFiles(String trainImages, String trainLabels, String testImages, String testLabels)
        implements Serializable {
    static IdxFiles read(ConfigReader c) {
        return new IdxFiles(c.string("train-images"), c.string("train-labels"),
                c.string("test-images"), c.string("test-labels"));
    }
}
