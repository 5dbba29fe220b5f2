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
 * The notebook facade driven the way {@code spark-shell --jars efftrain.jar} users drive it: Spark's Scala shell in
 * its own JVM (class path: the Spark jars, the Scala shell and the shaded jar), reading a script
 * ({@code notebook/facade.scala}) on standard input that prepares a table, runs the pipeline in the shell's
 * session and reads the results back as DataFrames.
 */
class SparkShellIT {
    private static final Pattern RUN = Pattern.compile(
            "EFFTRAIN-RUN accuracy=(0\\.\\d{4}) transformer_accuracy=(0\\.\\d{4}) rounds=(\\d+) workers=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void theFacadeRunsThePipelineInTheShellsSession() throws Exception {
        FashionMnist.require();
        SparkDistribution spark = SparkDistribution.create(dir.resolve("spark"), BuiltArtifacts.sparkLib(),
                BuiltArtifacts.testClassPathJars("spark-repl_", "scala-compiler-"));
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
        try (shell) {
            OptionalInt code = shell.waitFor(10, TimeUnit.MINUTES);
            assertTrue(code.isPresent(), "the shell did not finish within 10 minutes\n" + shell.tail());
            assertEquals(0, code.getAsInt(), shell.tail());
        }
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

    private static String notebook() throws IOException {
        try (InputStream in = SparkShellIT.class.getResourceAsStream("/notebook/facade.scala")) {
            assertTrue(in != null, "notebook/facade.scala is on the test class path");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
