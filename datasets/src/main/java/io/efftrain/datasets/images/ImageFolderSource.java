package io.efftrain.datasets.images;

import io.efftrain.datasets.HadoopFiles;
import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.ContentHash;
import io.efftrain.datasets.source.Listing;
import io.efftrain.datasets.source.SourceData;
import io.efftrain.pipeline.config.ImageFolderSettings;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Reads image folders: each split is a directory with one sub-folder per class. The driver lists the files
 * (names only); executors decode them in batches, so no pixel passes through the driver.
 *
 * <p>Labels: a sub-folder named after an entry of {@code data.class-names}, or after its index, gets that
 * label; without class names, the sorted sub-folder names of the training directory become the classes.
 */
public final class ImageFolderSource {
    private ImageFolderSource() {
    }

    /**
     * @param classNames the configured class names, if any
     * @param trainLimit, testLimit keep only the first N files of a split (in folder and name order)
     * @param filesPerTask files decoded per task
     */
    public static SourceData read(SparkSession spark, ImageFolderSettings images, Optional<List<String>> classNames,
                                  OptionalLong trainLimit, OptionalLong testLimit, int filesPerTask) {
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        if (images.paths().train().isEmpty()) {
            throw EfftrainException.badConfig("data.source = images needs data.images.train (a directory with one "
                    + "sub-folder per class).");
        }
        String trainDir = images.paths().train().get();
        List<String> names = classNames.orElseGet(() -> Listing.directories(trainDir, hadoop, "data.images.train")
                .stream().map(s -> s.getPath().getName()).toList());
        Map<String, List<String>> files = new LinkedHashMap<>();
        List<ImageFile> all = new ArrayList<>();
        list("train", trainDir, "data.images.train", names, trainLimit, hadoop, files, all);
        images.paths().test().ifPresent(test ->
                list("test", test, "data.images.test", names, testLimit, hadoop, files, all));

        List<List<ImageFile>> batches = new ArrayList<>();
        for (int i = 0; i < all.size(); i += filesPerTask) {
            batches.add(new ArrayList<>(all.subList(i, Math.min(all.size(), i + filesPerTask))));
        }
        ImageDecoder decoder = new ImageDecoder(images.height(), images.width(), images.channels(), images.resize());
        var rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(batches, batches.size())
                .flatMap(new DecodeBatch(decoder));
        return new SourceData(spark.createDataFrame(rows, CanonicalLayout.SOURCE_SCHEMA),
                new int[] {images.channels(), images.height(), images.width()}, FeatureEncoding.UINT8,
                Optional.of(names), files, files.containsKey("test"), true);
    }

    private static void list(String split, String dir, String key, List<String> classNames, OptionalLong limit,
                             Configuration hadoop, Map<String, List<String>> files, List<ImageFile> all) {
        List<FileStatus> folders = Listing.directories(dir, hadoop, key);
        if (folders.isEmpty()) {
            throw EfftrainException.badInput(dir + ": has no class sub-folders (" + key + "); an image source needs "
                    + "one sub-folder per class holding PNG or JPEG files.");
        }
        List<String> splitFiles = new ArrayList<>();
        long keep = limit.orElse(Long.MAX_VALUE);
        for (FileStatus folder : folders) {
            int label = labelOf(folder.getPath().getName(), classNames, dir);
            for (String file : Listing.files(folder.getPath().toString(), hadoop, key)) {
                if (splitFiles.size() < keep) {
                    splitFiles.add(file);
                    all.add(new ImageFile(split, file, label, all.size()));
                }
            }
        }
        files.put(split, splitFiles);
    }

    private static int labelOf(String folder, List<String> classNames, String dir) {
        int label = classNames.indexOf(folder);
        if (label < 0 && folder.matches("\\d{1,9}")) {
            label = Integer.parseInt(folder);
        }
        if (label < 0 || label >= classNames.size()) {
            throw EfftrainException.badInput(dir + "/" + folder + ": is not a class; sub-folders must be named after "
                    + "an entry of data.class-names or its index 0.." + (classNames.size() - 1) + " (classes: "
                    + new TreeSet<>(classNames) + ").");
        }
        return label;
    }

    private record ImageFile(String split, String path, int label, long order) implements Serializable {
    }

    private record DecodeBatch(ImageDecoder decoder) implements FlatMapFunction<List<ImageFile>, Row> {
        @Override
        public Iterator<Row> call(List<ImageFile> batch) {
            Configuration hadoop = new Configuration();
            List<Row> out = new ArrayList<>(batch.size());
            for (ImageFile file : batch) {
                byte[] pixels;
                try (InputStream in = HadoopFiles.open(file.path(), hadoop)) {
                    pixels = decoder.decode(in, file.path());
                } catch (IOException e) {
                    throw new UncheckedIOException(file.path() + ": cannot read", e);
                }
                out.add(RowFactory.create(file.order(), file.label(), pixels, file.split(),
                        ContentHash.of(file.label(), pixels)));
            }
            return out.iterator();
        }
    }
}
