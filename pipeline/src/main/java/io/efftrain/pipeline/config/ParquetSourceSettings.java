package io.efftrain.pipeline.config;

import java.io.Serializable;
import java.util.Optional;

/**
 * An existing Parquet source (a user's lake table), with its columns mapped onto the canonical ones.
 *
 * @param paths train and test tables (files or directories)
 * @param labelColumn an integer column of labels from 0
 * @param featuresColumn an array of numbers, or binary (one uint8 value per byte)
 * @param idColumn a string or integer column of the user's own unique example ids, or empty to derive ids
 *     from the content
 */
public record ParquetSourceSettings(SplitPaths paths, String labelColumn, String featuresColumn,
                                    Optional<String> idColumn) implements Serializable {
    static ParquetSourceSettings read(ConfigReader c) {
        return new ParquetSourceSettings(SplitPaths.read(c), c.string("label-column"), c.string("features-column"),
                c.optional("id-column", c::string));
    }
}
