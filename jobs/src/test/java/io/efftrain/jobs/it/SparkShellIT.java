package io.efftrain.jobs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.testing.FashionMnist;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * efftrain in Spark's Scala shell, each in its own JVM reading a script on standard input. The notebook facade is
 * driven the way {@code spark-shell --jars efftrain.jar} users drive it (class path: the Spark jars, the Scala shell
 * and the shaded jar): {@code notebook/facade.scala} prepares a table, runs the pipeline in the shell's session and
 * reads the results back as DataFrames. The README's notebook example runs verbatim in {@code bin/efftrain shell},
 * on a CSV that the README's own {@code bin/efftrain export-csv} line writes.
 */
class SparkShellIT {
    private static final Pattern RUN = Pattern.compile(
            "EFFTRAIN-RUN accuracy=(0\\.\\d{4}) transformer_accuracy=(0\\.\\d{4}) rounds=(\\d+) workers=(\\d+)");
    /** Marks the README's example: the fenced Scala block that follows this line. */
    private static final String EXAMPLE_MARK = "<!-- notebook-example";
    /** Where the README states the example's accuracy: "... (at least 0.80 ...". */
    private static final Pattern STATED_FLOOR = Pattern.compile("at least (0\\.\\d+)");
    private static final Pattern TEST_ACCURACY = Pattern.compile("(?m)^test accuracy (0\\.\\d{4})$");
    private static final Pattern LOADED_ACCURACY = Pattern.compile("(?m)^loaded model (0\\.\\d{4})$");

    @TempDir
    Path dir;

    @Test
    void theFacadeRunsThePipelineInTheShellsSession() throws Exception {
        FashionMnist.require();
        SparkDistribution spark = SparkDistribution.create(dir.resolve("spark"), BuiltArtifacts.sparkLib(),
                BuiltArtifacts.replLibJars());
        Path script = dir.resolve("facade.scala");
        Files.writeString(script, notebook()
                .replace("@CONFIG@", BuiltArtifacts.confDir().resolve("fashion-mnist.conf").toString())
                .replace("@TABLE@", dir.resolve("tables/fm").toString())
                .replace("@RUN@", dir.resolve("runs/fm").toString()));

        ChildJvm shell = spark.jvm("spark-shell", "org.apache.spark.repl.Main")
                .classPath(BuiltArtifacts.efftrainJar().toString())
                .jvmOptions("-Xmx2g", "-Dscala.usejavacp=true", "-Dspark.master=local[2]", "-Dspark.ui.enabled=false")
                .stdin(script)
                .workingDirectory(dir)
                .start(dir.resolve("logs"));
        awaitSuccess(shell, 10, "the shell");
        String out = shell.stdout();
        assertFalse(out.contains("error:") || out.contains("Exception"), "the script ran without errors\n" + shell.tail());
        assertTrue(out.contains("EFFTRAIN-PREPARED test=500,train=3000"), shell.tail());

        Matcher run = RUN.matcher(out);
        assertTrue(run.find(), "the run's results came back\n" + shell.tail());
        double accuracy = Double.parseDouble(run.group(1));
        assertTrue(accuracy > 0.5, "test accuracy " + accuracy);
        assertEquals(run.group(1), run.group(2), "the run's model scored by the transformer, as the run scored it");
        assertTrue(Long.parseLong(run.group(3)) > 0, "metrics.jsonl has rounds");
        assertEquals("2", run.group(4), "the shell's local[2] session trained with two workers");
        assertTrue(Files.exists(dir.resolve("runs/fm/_SUCCESS")));
        assertTrue(Files.exists(dir.resolve("tables/fm/_manifest.json")));
    }

    @Test
    void theReadmesNotebookExampleRunsInBinEfftrainShell() throws Exception {
        FashionMnist.require();
        String readme = Files.readString(BuiltArtifacts.repository().resolve("README.md"));
        Path checkout = checkoutIn(dir.resolve("checkout"));

        List<String> export = exportCommand(readme);
        ChildJvm exporting = ChildJvm.Spec.launchedBy("export-csv", checkout.resolve(export.get(0)))
                .arguments(export.subList(1, export.size()))
                .environment("EFFTRAIN_JAVA_OPTS", "-Xmx1g")
                .workingDirectory(checkout)
                .start(dir.resolve("logs"));
        awaitSuccess(exporting, 5, "export-csv");

        Path script = dir.resolve("example.scala");
        Files.writeString(script, example(readme));
        // local[2] (bin/efftrain shell's default is local[*]): two training workers on any machine.
        ChildJvm shell = ChildJvm.Spec.launchedBy("efftrain-shell", checkout.resolve("bin/efftrain"))
                .arguments("shell", "--master", "local[2]")
                .environment("EFFTRAIN_JAVA_OPTS", "-Xmx2g")
                .stdin(script)
                .workingDirectory(checkout)
                .start(dir.resolve("logs"));
        awaitSuccess(shell, 10, "the shell");
        String out = shell.stdout();
        assertFalse(out.contains("error:") || out.contains("Exception"), "the example ran without errors\n"
                + shell.tail());
        assertTrue(out.contains("master = local[2]"), "the shell's session is the one --master asked for\n"
                + shell.tail());

        Matcher floor = STATED_FLOOR.matcher(readme.substring(readme.indexOf(EXAMPLE_MARK)));
        assertTrue(floor.find(), "the README states the example's accuracy after the block ('at least 0.xx')");
        Matcher accuracy = TEST_ACCURACY.matcher(out);
        assertTrue(accuracy.find(), "the example printed its test accuracy\n" + shell.tail());
        double measured = Double.parseDouble(accuracy.group(1));
        System.out.println("README notebook example: test accuracy " + accuracy.group(1));
        assertTrue(measured >= Double.parseDouble(floor.group(1)), "test accuracy " + measured
                + " is below the README's stated floor " + floor.group(1));
        Matcher loaded = LOADED_ACCURACY.matcher(out);
        assertTrue(loaded.find(), "the example evaluated the loaded model\n" + shell.tail());
        assertEquals(accuracy.group(1), loaded.group(1), "the saved and loaded model predicts as the trained one");
        assertTrue(Files.exists(checkout.resolve("models/fashion-cnn/metadata")), "the model was saved");
    }

    /**
     * A directory shaped like a checkout (bin, conf and jobs/target linked to the real ones), so that the README's
     * relative paths (bin/efftrain, conf/..., data/..., models/...) work as written while every output the example
     * writes stays in the test's directory.
     */
    private static Path checkoutIn(Path checkout) throws IOException {
        Path repository = BuiltArtifacts.repository();
        Files.createDirectories(checkout.resolve("jobs"));
        Files.createSymbolicLink(checkout.resolve("bin"), repository.resolve("bin"));
        Files.createSymbolicLink(checkout.resolve("conf"), repository.resolve("conf"));
        Files.createSymbolicLink(checkout.resolve("jobs/target"), BuiltArtifacts.efftrainJar().getParent());
        return checkout;
    }

    /** The README's {@code bin/efftrain export-csv ...} line, split into words (it has no quoting). */
    private static List<String> exportCommand(String readme) {
        List<String> lines = readme.lines().filter(l -> l.startsWith("bin/efftrain export-csv ")).toList();
        assertEquals(1, lines.size(), "the README has one line that starts with 'bin/efftrain export-csv'");
        String command = lines.get(0).replaceAll("\\s+#.*$", "").trim();
        return List.of(command.split("\\s+"));
    }

    /** The fenced Scala block after the README's example mark, as it stands. */
    private static String example(String readme) {
        int mark = readme.indexOf(EXAMPLE_MARK);
        assertTrue(mark >= 0, "README.md marks its notebook example with " + EXAMPLE_MARK);
        int open = readme.indexOf("```scala\n", mark);
        assertTrue(open >= 0, "a ```scala block follows the example mark");
        int start = open + "```scala\n".length();
        int end = readme.indexOf("\n```", start);
        assertTrue(end > start, "the example's block is closed");
        assertTrue(readme.substring(mark, open).lines().count() <= 2, "the block follows the mark directly");
        return readme.substring(start, end + 1);
    }

    /** Waits for {@code child} to exit 0, closing it either way; the failure message carries its output's tail. */
    private static void awaitSuccess(ChildJvm child, int minutes, String what) throws Exception {
        try (child) {
            OptionalInt code = child.waitFor(minutes, TimeUnit.MINUTES);
            assertTrue(code.isPresent(), what + " did not finish within " + minutes + " minutes\n" + child.tail());
            assertEquals(0, code.getAsInt(), child.tail());
        }
    }

    private static String notebook() throws IOException {
        try (InputStream in = SparkShellIT.class.getResourceAsStream("/notebook/facade.scala")) {
            assertTrue(in != null, "notebook/facade.scala is on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
