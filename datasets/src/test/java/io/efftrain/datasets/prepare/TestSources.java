package io.efftrain.datasets.prepare;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.DataSettings;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Real Fashion-MNIST slices written out in the other source formats, and a prepare call driven by config
 * overrides exactly as users write them.
 */
public final class TestSources {
    public static final int TRAIN = 300;
    public static final int TEST = 100;

    private TestSources() {
    }

    public static ExampleBlock train() {
        return FashionMnist.block(true, TRAIN);
    }

    public static ExampleBlock test() {
        return FashionMnist.block(false, TEST);
    }

    /** Pixels of example {@code i} of a block (784 bytes). */
    public static byte[] pixels(ExampleBlock block, int i) {
        return block.encodedFeatures(i);
    }

    /** One sub-folder per label, one grey PNG per example. */
    public static Path writeImages(Path dir, ExampleBlock block) {
        try {
            for (int i = 0; i < block.size(); i++) {
                Path folder = dir.resolve(Integer.toString(block.label(i)));
                Files.createDirectories(folder);
                BufferedImage image = new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY);
                image.getRaster().setDataElements(0, 0, 28, 28, pixels(block, i));
                ImageIO.write(image, "png", folder.resolve(String.format("%05d.png", i)).toFile());
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A CSV file: header {@code label,p0,...,p783}, one row per example. */
    public static Path writeCsv(Path file, ExampleBlock block) {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            out.write(header(784));
            for (int i = 0; i < block.size(); i++) {
                StringBuilder line = new StringBuilder().append(block.label(i));
                for (byte b : pixels(block, i)) {
                    line.append(',').append(b & 0xFF);
                }
                out.write(line.append('\n').toString());
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String header(int features) {
        StringBuilder header = new StringBuilder("label");
        for (int j = 0; j < features; j++) {
            header.append(",p").append(j);
        }
        return header.append('\n').toString();
    }

    /** A Parquet table of a data lake: {@code label int, pixels array<int>}. */
    public static Path writeParquet(Path dir, ExampleBlock block) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < block.size(); i++) {
            List<Integer> values = new ArrayList<>(784);
            for (byte b : pixels(block, i)) {
                values.add(b & 0xFF);
            }
            rows.add(RowFactory.create(block.label(i), values, "ex-" + i));
        }
        StructType schema = new StructType().add("y", DataTypes.IntegerType)
                .add("pixels", DataTypes.createArrayType(DataTypes.IntegerType)).add("key", DataTypes.StringType);
        LocalSpark.session().createDataFrame(rows, schema).coalesce(2).write().parquet(dir.toString());
        return dir;
    }

    public static DataSettings data(String... overrides) {
        return ConfigLoader.load(null, List.of(overrides)).data();
    }

    public static TableManifest prepare(Path table, String... overrides) {
        return TablePreparer.prepare(LocalSpark.session(), data(overrides), 42, table.toUri().toString(), false);
    }

    /** id to (label, features, split) of a committed table. */
    public static Map<String, List<Object>> rows(Path table) {
        SparkSession spark = LocalSpark.session();
        Map<String, List<Object>> out = new HashMap<>();
        for (Row r : spark.read().parquet(table.toUri().toString()).collectAsList()) {
            out.put(r.getAs(CanonicalLayout.ID), List.of(r.getAs(CanonicalLayout.LABEL),
                    java.util.HexFormat.of().formatHex((byte[]) r.getAs(CanonicalLayout.FEATURES)),
                    r.getAs(CanonicalLayout.SPLIT)));
        }
        return out;
    }

    public static String idxTrainLimit() {
        return "data.train-limit=" + TRAIN;
    }

    public static String idxTestLimit() {
        return "data.test-limit=" + TEST;
    }
}
