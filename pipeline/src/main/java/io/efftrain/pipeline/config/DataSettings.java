package io.efftrain.pipeline.config;

import io.efftrain.pipeline.data.FeatureEncoding;
import java.io.Serializable;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Where the data comes from, how it is stored and prepared, and how much of it a run uses.
 *
 * @param source which of the source sections is read
 * @param idx the IDX source files
 * @param csv the CSV source
 * @param images the image-folder source
 * @param parquet the Parquet source
 * @param table a prepared canonical table, for source {@code table}
 * @param shape the shape of one example of a numeric source as [channels, height, width], or empty for a flat
 *     vector; pixel sources know their shape
 * @param featureEncoding how numeric sources store features (pixel sources always store uint8)
 * @param classes keep only these labels, relabelled 0..k-1 in this order; empty keeps all
 * @param split how validation and test splits are carved out of the training data
 * @param normalization how features are normalised when fed to a network
 * @param trainLimit keep only the first N training examples (a slice), or all when empty
 * @param testLimit keep only the first N test examples, or all when empty
 * @param recordsPerTask examples decoded per prepare task
 * @param classNames human-readable class names, index = label; empty takes them from the source (image
 *     sub-folder names) or numbers them
 * @param feed how training reads each worker's share (heap or spilled to local disk)
 */
public record DataSettings(SourceType source, IdxFiles idx, CsvSettings csv, ImageFolderSettings images,
                           ParquetSourceSettings parquet, Optional<String> table, Optional<List<Integer>> shape,
                           FeatureEncoding featureEncoding, Optional<List<Integer>> classes, SplitSettings split,
                           NormalizationType normalization, OptionalLong trainLimit, OptionalLong testLimit,
                           int recordsPerTask, Optional<List<String>> classNames, FeedSettings feed)
        implements Serializable {
    static DataSettings read(ConfigReader c) {
        Optional<List<Integer>> shape = c.optional("shape", k -> List.copyOf(c.positiveInts(k)));
        if (shape.isPresent() && shape.get().size() != 3) {
            throw c.invalid("shape", "[channels, height, width] or null", shape.get().toString());
        }
        SourceType source = c.choice("source", SourceType.class);
        if (source == SourceType.TABLE && c.optional("table", c::string).isEmpty()) {
            throw c.invalid("table", "the path of a prepared table when data.source = table", "null");
        }
        return new DataSettings(source, IdxFiles.read(c.at("idx")),
                CsvSettings.read(c.at("csv")), ImageFolderSettings.read(c.at("images")),
                ParquetSourceSettings.read(c.at("parquet")), c.optional("table", c::string), shape, c.choice("feature-encoding", FeatureEncoding.class),
                c.optional("classes", k -> List.copyOf(c.indices(k))), SplitSettings.read(c.at("split")),
                c.choice("normalization", NormalizationType.class), c.optionalPositiveLong("train-limit"),
                c.optionalPositiveLong("test-limit"), c.positiveInt("records-per-task"),
                c.optional("class-names", k -> List.copyOf(c.strings(k))), FeedSettings.read(c.at("feed")));
    }
}
