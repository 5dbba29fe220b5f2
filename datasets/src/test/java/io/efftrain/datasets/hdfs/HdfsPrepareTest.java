package io.efftrain.datasets.hdfs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.canonical.SourceFingerprints;
import io.efftrain.datasets.feed.ExampleBlocks;
import io.efftrain.datasets.idx.IdxSource;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prepare and read on hdfs:// paths, against Hadoop's real in-process HDFS (NameNode and DataNode). */
class HdfsPrepareTest {
    @TempDir
    static Path base;

    private static MiniDFSCluster cluster;
    private static String root;

    @BeforeAll
    static void startHdfs() throws Exception {
        FashionMnist.require();
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("hdfs").toString());
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        root = cluster.getURI().toString();
        FileSystem fs = cluster.getFileSystem();
        for (Path file : List.of(FashionMnist.TRAIN_IMAGES, FashionMnist.TRAIN_LABELS)) {
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(file.toUri()),
                    new org.apache.hadoop.fs.Path(root + "/raw/" + file.getFileName()));
        }
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    @Test
    void prepareReadsIdxFromHdfsAndWritesTheCanonicalTableThere() throws Exception {
        assertTrue(root.startsWith("hdfs://127.0.0.1:") || root.startsWith("hdfs://localhost:"), root);
        SparkSession spark = LocalSpark.session();
        String images = root + "/raw/" + FashionMnist.TRAIN_IMAGES.getFileName();
        String labels = root + "/raw/" + FashionMnist.TRAIN_LABELS.getFileName();
        String table = root + "/efftrain/canonical";
        CanonicalTables.write(CanonicalLayout.assignIds(IdxSource.read(spark,
                List.of(new IdxSource.SplitFiles("train", images, labels, OptionalLong.of(2000))), 10, 700)), table);

        assertTrue(cluster.getFileSystem().exists(new org.apache.hadoop.fs.Path(table + "/split=train")));
        assertEquals(2000, CanonicalTables.readSplit(spark, table, "train").count());
        List<ExampleBlock> blocks = ExampleBlocks.of(CanonicalTables.readSplit(spark, table, "train"), 2).collect();
        assertEquals(2000, blocks.stream().mapToInt(ExampleBlock::size).sum());

        Map<String, Map<String, Object>> prints = SourceFingerprints.of(spark, List.of(images));
        assertEquals(java.nio.file.Files.size(FashionMnist.TRAIN_IMAGES), ((Number) prints.get(images).get("bytes")).longValue());
    }

    @Test
    void csvAndImageSourcesOnHdfsGiveACommittedTableThatTheLoaderReads() throws Exception {
        FileSystem fs = cluster.getFileSystem();
        var block = FashionMnist.block(true, 120);
        Path local = base.resolve("local");
        java.nio.file.Files.createDirectories(local);
        Path csv = io.efftrain.datasets.prepare.TestSources.writeCsv(local.resolve("train.csv"), block);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(csv.toUri()), new org.apache.hadoop.fs.Path(root + "/csv/train.csv"));
        Path images = io.efftrain.datasets.prepare.TestSources.writeImages(local.resolve("images"), block);
        fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(images.toUri()), new org.apache.hadoop.fs.Path(root + "/images"));

        SparkSession spark = LocalSpark.session();
        String fromCsv = root + "/efftrain/from-csv";
        String fromImages = root + "/efftrain/from-images";
        var data = io.efftrain.pipeline.config.ConfigLoader.load(null, List.of("data.source=csv",
                "data.csv.train=\"" + root + "/csv/train.csv\"", "data.split.test=0.25")).data();
        var manifest = io.efftrain.datasets.prepare.TablePreparer.prepare(spark, data, 42, fromCsv, false);
        var imageData = io.efftrain.pipeline.config.ConfigLoader.load(null, List.of("data.source=images",
                "data.images.train=\"" + root + "/images\"", "data.split.test=0.25")).data();
        io.efftrain.datasets.prepare.TablePreparer.prepare(spark, imageData, 42, fromImages, false);

        assertEquals(120L, manifest.countsBySplit().values().stream().mapToLong(Long::longValue).sum());
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(fromCsv + "/_manifest.json")));
        assertEquals(manifest.countsByClass(), io.efftrain.datasets.canonical.TableManifest.read(fromImages,
                new Configuration()).countsByClass(), "the same images through two sources on HDFS");
        assertEquals(spark.read().parquet(fromCsv).select("id", "features").sort("id").collectAsList(),
                spark.read().parquet(fromImages).select("id", "features").sort("id").collectAsList());
        int delivered = 0;
        try (var it = new io.efftrain.datasets.feed.CanonicalDataSetIterator(fromCsv, "train", 32, 64, 2, 1,
                new Configuration())) {
            while (it.hasNext()) {
                delivered += it.next().numExamples();
            }
        }
        assertEquals(manifest.countsBySplit().get("train").intValue(), delivered);
    }
}
