package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efftrain prepare} through the entry point spark-submit calls: output line, exit codes, no partial table. */
class PrepareCommandTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result execute(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void preparesATableAndRefusesToReplaceItUnlessAsked() {
        FashionMnist.require();
        Path table = dir.resolve("table");
        String[] args = {"prepare", "../conf/fashion-mnist.conf", "--out", table.toString(), "--set",
                "spark.master=\"local[2]\"", "--set", "data.train-limit=200", "--set", "data.test-limit=50"};
        Result first = execute(args);
        assertEquals(0, first.code(), first.err());
        assertTrue(first.out().startsWith("table=file:"), first.out());
        assertTrue(first.out().contains("train=200"), first.out());
        assertTrue(Files.isRegularFile(table.resolve("_manifest.json")));

        Result again = execute(args);
        assertEquals(ExitCode.BAD_CONFIG.code(), again.code());
        assertTrue(again.err().contains("--overwrite"), again.err());
    }

    @Test
    void badCsvExitsWithBadInputAndWritesNothing() throws IOException {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "label,a,b\n1,2,3\n4,5\n");
        Path table = dir.resolve("table");
        Result result = execute("prepare", "../conf/fashion-mnist.conf", "--out", table.toString(), "--set",
                "spark.master=\"local[2]\"", "--set", "data.source=csv", "--set", "data.csv.train=\"" + csv + "\"");
        assertEquals(ExitCode.BAD_INPUT.code(), result.code());
        assertTrue(result.err().contains("efftrain: error: file:" + csv + " line 3: has 2 fields"), result.err());
        assertFalse(Files.exists(table));
        assertFalse(Files.exists(dir.resolve("table.tmp")));
    }
}
