package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efftrain prepare} through the entry point spark-submit calls: output line, exit codes, no partial table. */
class PrepareCommandTest {
    @TempDir
    Path dir;

    private static CommandResult execute(String... args) {
        return CommandResult.execute(args);
    }

    @Test
    void preparesATableAndRefusesToReplaceItUnlessAsked() {
        FashionMnist.require();
        Path table = dir.resolve("table");
        String[] args = {"prepare", "../conf/fashion-mnist.conf", "--out", table.toString(), "--set",
                "spark.master=\"local[2]\"", "--set", "data.train-limit=200", "--set", "data.test-limit=50"};
        CommandResult first = execute(args);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("table=file:"), first.out());
        assertTrue(first.out().contains("train=200"), first.out());
        assertTrue(Files.isRegularFile(table.resolve("_manifest.json")));

        CommandResult again = execute(args);
        assertEquals(ExitCode.ALREADY_DONE.code(), again.code());
        assertTrue(again.err().contains("--overwrite"), again.err());
    }

    @Test
    void badCsvExitsWithBadInputAndWritesNothing() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "label,a,b\n1,2,3\n4,5\n");
        Path table = dir.resolve("table");
        CommandResult result = execute("prepare", "../conf/fashion-mnist.conf", "--out", table.toString(), "--set",
                "spark.master=\"local[2]\"", "--set", "data.source=csv", "--set", "data.csv.train=\"" + csv + "\"");
        assertEquals(ExitCode.BAD_INPUT.code(), result.code());
        assertTrue(result.err().contains("efftrain: error: file:" + csv + " line 3: has 2 fields"), result.err());
        assertFalse(Files.exists(table));
        assertFalse(Files.exists(dir.resolve("table.tmp")));
    }

    @Test
    void hadoopUrisPassThroughTheCommandLineIntact() {
        StageOptions options = StageOptions.parsePrepare(java.util.List.of("conf.conf", "--out",
                "hdfs://nn:8020/tables/fmnist"));
        assertEquals("hdfs://nn:8020/tables/fmnist", options.out());
        assertEquals(dir.toUri().toString().replaceAll("/$", "") + "/t",
                StageOptions.parsePrepare(java.util.List.of("conf.conf", "--out", dir.resolve("t").toString())).out());
    }

    @Test
    void aBadSparkMasterIsAConfigErrorNamingTheKeyNotAStackTrace() {
        FashionMnist.require();
        // A session left by an earlier test would be reused whatever the master says.
        if (org.apache.spark.sql.SparkSession.getDefaultSession().isDefined()) {
            org.apache.spark.sql.SparkSession.getDefaultSession().get().stop();
        }
        CommandResult result = execute("prepare", "../conf/fashion-mnist.conf", "--out", dir.resolve("t").toString(),
                "--set", "spark.master=\"nonsense[2]\"", "--set", "data.train-limit=20", "--set", "data.test-limit=5");
        assertEquals(ExitCode.BAD_CONFIG.code(), result.code(), result.err());
        assertTrue(result.err().contains("spark.master = nonsense[2]") && !result.err().contains("\tat "),
                result.err());
    }
}
