package io.efftrain.datasets.feed;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.source.Listing;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.error.EfftrainException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/**
 * One split of a canonical table as a single {@link ExampleBlock}, read with the Parquet library alone (no Spark
 * session): for code that runs inside a Spark task and needs the whole split, such as a Deep Incubation module.
 * Files are read in name order, so every reader gets the same block.
 */
public final class TableSplitBlock {
    private TableSplitBlock() {
    }

    /** The examples of {@code split} in {@code table}, decoded as the table's manifest says. */
    public static ExampleBlock read(String table, String split, Configuration hadoop) {
        TableManifest manifest = TableManifest.read(table, hadoop);
        Long expected = manifest.countsBySplit().get(split);
        if (expected == null) {
            throw EfftrainException.badInput(table + ": has no split '" + split + "' (it has "
                    + manifest.countsBySplit().keySet() + ").");
        }
        FeatureDecoder decoder = manifest.decoder();
        int bytes = decoder.bytesPerExample();
        List<String> files = Listing.files(new Path(table, CanonicalLayout.SPLIT + "=" + split).toString(), hadoop,
                "the table").stream().filter(f -> f.endsWith(".parquet")).sorted().toList();
        int[] labels = new int[Math.toIntExact(expected)];
        ByteArrayOutputStream features = new ByteArrayOutputStream(Math.toIntExact(expected * bytes));
        int n = 0;
        for (String file : files) {
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new Path(file))
                    .withConf(hadoop).build()) {
                for (Group row; (row = reader.read()) != null; ) {
                    byte[] encoded = row.getBinary(CanonicalLayout.FEATURES, 0).getBytes();
                    if (encoded.length != bytes || n >= labels.length) {
                        throw EfftrainException.badInput(file + ": does not match the manifest of " + table
                                + " (example size or count); prepare the table again.");
                    }
                    labels[n++] = row.getInteger(CanonicalLayout.LABEL, 0);
                    features.write(encoded, 0, encoded.length);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        if (n != labels.length) {
            throw EfftrainException.badInput(table + ": split '" + split + "' holds " + n + " examples, the manifest "
                    + "says " + labels.length + "; prepare the table again.");
        }
        return new ExampleBlock(labels, features.toByteArray(), decoder);
    }
}
