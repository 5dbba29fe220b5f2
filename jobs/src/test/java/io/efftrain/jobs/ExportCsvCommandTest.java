package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efftrain export-csv}: the configured source as CSV files that hold exactly the source's examples. */
class ExportCsvCommandTest {
    @TempDir
    Path dir;

    @Test
    void fashionMnistBecomesOneCsvPerSplitWithTheIdxFilesExamplesInOrder() throws IOException {
        FashionMnist.require();
        Path out = dir.resolve("fashion-csv");
        String[] args = {"export-csv", "../conf/fashion-mnist.conf", "--out", out.toString(), "--set",
                "spark.master=\"local[2]\"", "--set", "data.train-limit=40", "--set", "data.test-limit=10"};
        CommandResult result = CommandResult.execute(args);
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().contains("rows={train=40, test=10}"), result.out());

        assertSameExamples(FashionMnist.block(true, 40), Files.readAllLines(out.resolve("train.csv")));
        assertSameExamples(FashionMnist.block(false, 10), Files.readAllLines(out.resolve("test.csv")));

        CommandResult again = CommandResult.execute(args);
        assertEquals(ExitCode.ALREADY_DONE.code(), again.code(), again.err());
        assertTrue(again.err().contains("--overwrite"), again.err());
    }

    @Test
    void numericFeaturesKeepTheirValuesAndASourceWithoutTestGetsOnlyTrain() throws IOException {
        Path csv = dir.resolve("numbers.csv");
        Files.writeString(csv, "label,a,b\n1,0.5,2\n0,-1.25,3\n");
        Path out = dir.resolve("exported");
        CommandResult result = CommandResult.execute("export-csv", "../conf/fashion-mnist.conf", "--out",
                out.toString(), "--set", "spark.master=\"local[2]\"", "--set", "data.source=csv", "--set",
                "data.csv.train=\"" + csv + "\"", "--set", "data.feature-encoding=float32");
        assertEquals(0, result.code(), result.err());
        assertEquals(List.of("label,feature1,feature2", "1,0.5,2", "0,-1.25,3"),
                Files.readAllLines(out.resolve("train.csv")));
        assertFalse(Files.exists(out.resolve("test.csv")));
    }

    @Test
    void aFolderEfftrainDidNotMakeIsRefused() throws IOException {
        FashionMnist.require();
        Path out = Files.createDirectories(dir.resolve("mine"));
        Files.writeString(out.resolve("notes.txt"), "not efftrain's");
        CommandResult result = CommandResult.execute("export-csv", "../conf/fashion-mnist.conf", "--out",
                out.toString(), "--overwrite", "--set", "spark.master=\"local[2]\"", "--set", "data.train-limit=5",
                "--set", "data.test-limit=5");
        assertEquals(ExitCode.ALREADY_DONE.code(), result.code(), result.err());
        assertEquals("not efftrain's", Files.readString(out.resolve("notes.txt")));
        assertFalse(Files.exists(out.resolve("train.csv")));
    }

    /** The header, then one line per example of {@code expected}: its label and its 784 pixels. */
    private static void assertSameExamples(ExampleBlock expected, List<String> lines) {
        assertEquals(expected.size() + 1, lines.size(), "a header and one line per example");
        String[] header = lines.get(0).split(",");
        assertEquals(785, header.length);
        assertEquals("label", header[0]);
        assertEquals("pixel1", header[1]);
        assertEquals("pixel784", header[784]);
        for (int i = 0; i < expected.size(); i++) {
            String[] fields = lines.get(i + 1).split(",");
            assertEquals(785, fields.length, "line " + (i + 2));
            assertEquals(expected.label(i), Integer.parseInt(fields[0]), "label of example " + i);
            byte[] pixels = expected.encodedFeatures(i);
            for (int p = 0; p < 784; p++) {
                assertEquals(pixels[p] & 0xFF, Integer.parseInt(fields[p + 1]), "example " + i + " pixel " + (p + 1));
            }
        }
    }
}
