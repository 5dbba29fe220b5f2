package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.jobs.bench.ChildRun;
import io.efftrain.jobs.bench.ReplicatedTable;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scale test at CI's size: a run in a child JVM with a 512 MB heap (about Spark's smallest: it refuses heaps
 * below 450 MB) trains on a table whose features take more than the heap (720,000 Fashion-MNIST examples, 538 MB
 * of features), which in-memory blocks cannot hold. The blocks spill to Spark's local directory; the run ends
 * without an OutOfMemoryError, and the process's anonymous resident memory (heap, ND4J's arrays, the JVM itself;
 * not the page cache of the mapped spill files) stays bounded. {@code bin/efftrain bench data} runs the same at
 * four times a 1 GB heap.
 */
class ScaleFeedTest {
    private static final int HEAP_MB = 512;
    private static final long ANONYMOUS_LIMIT_MB = 1536;

    @TempDir
    Path dir;

    @Test
    void aTableLargerThanTheHeapTrainsToCompletionWithBoundedMemory() throws Exception {
        FashionMnist.require();
        Path base = dir.resolve("base");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(new String[] {"prepare", "../conf/fashion-mnist.conf", "--out", base.toString(),
                "--set", "spark.master=\"local[2]\"", "--set", "data.train-limit=20000",
                "--set", "data.test-limit=1000"}, new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        Path large = dir.resolve("large");
        TableManifest manifest = ReplicatedTable.write(LocalSpark.session(), base.toUri().toString(), 36,
                large.toUri().toString(), 16 << 20);
        long featureBytes = manifest.countsBySplit().get("train") * manifest.featureSize();
        assertTrue(featureBytes > 1.05 * (HEAP_MB << 20), "the table's features exceed the heap: " + featureBytes);

        Path runDir = dir.resolve("run");
        ChildRun child = ChildRun.run(List.of("run", "../conf/fashion-mnist.conf", "--run-dir", runDir.toString(),
                "--set", "spark.master=\"local[2]\"", "--set", "data.source=table",
                "--set", "data.table=\"" + large.toUri() + "\"", "--set", "train.budget.epochs=null",
                "--set", "train.budget.wall-clock=null", "--set", "train.budget.samples=20000"), HEAP_MB, List.of(),
                dir.resolve("child.log"), Ticker.system());
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(0, child.exitCode(), log);
        assertTrue(!log.contains("OutOfMemoryError"), log);
        JsonNode summary = Json.mapper().readTree(runDir.resolve("summary.json").toFile());
        JsonNode feed = summary.get("train_feed");
        assertEquals(2, feed.get("spilled_blocks").asInt(), "both blocks spilled: " + feed);
        assertTrue(feed.get("spilled_mb").asDouble() * 1e6 > 0.9 * featureBytes, feed.toString());
        assertTrue(summary.get("test_accuracy").asDouble() > 0.6, summary.toString());
        System.out.printf("scale test: %d MB of features, %d MB heap, %.0f MB spilled, peak anonymous RSS %d MB%n",
                featureBytes >> 20, HEAP_MB, feed.get("spilled_mb").asDouble(), child.peakAnonymousMb());
        assertTrue(child.peakAnonymousMb() > 0 && child.peakAnonymousMb() < ANONYMOUS_LIMIT_MB,
                "anonymous resident memory peaked at " + child.peakAnonymousMb() + " MB");
    }
}
