package io.efftrain.jobs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code efftrain run} submitted with SparkSubmit to a real standalone cluster (Master, Worker and two executors,
 * each its own JVM, built from the project's Maven jars): training runs on both executors and the run directory
 * is committed.
 */
class ClusterRunIT {
    @TempDir
    Path dir;

    @Test
    void aRunSubmittedToAStandaloneClusterTrainsOnTwoExecutorJvms() throws Exception {
        FashionMnist.require();
        SparkDistribution spark = SparkDistribution.create(dir.resolve("spark"), BuiltArtifacts.sparkLib(), List.of());
        Path runDir = dir.resolve("runs/fm-cluster");
        Path events = Files.createDirectories(dir.resolve("events"));
        try (StandaloneCluster cluster = StandaloneCluster.start(spark, dir.resolve("cluster"), 2, "3g")) {
            ChildJvm submit = ClusterSubmit.efftrain(spark, cluster, "submit", events, List.of(
                            "run", BuiltArtifacts.confDir().resolve("fashion-mnist.conf").toString(),
                            "--run-dir", runDir.toString(),
                            "--set", "data.train-limit=3000", "--set", "data.test-limit=500",
                            "--set", "train.budget.epochs=2", "--set", "train.workers=2",
                            "--set", "model.lenet.conv1-channels=8", "--set", "model.lenet.conv2-channels=16",
                            "--set", "model.lenet.dense-units=64"))
                    .workingDirectory(dir)
                    .start(dir.resolve("logs"));
            try (submit) {
                OptionalInt code = submit.waitFor(10, TimeUnit.MINUTES);
                assertTrue(code.isPresent(), "the submitted run did not end within 10 minutes\n" + submit.tail());
                assertEquals(0, code.getAsInt(), submit.tail() + "\n" + cluster.logs());
            }
            String last = ChildJvm.last(submit.stdout(), 1);
            assertTrue(last.matches("test_accuracy=0\\.\\d{4} run_dir=.*fm-cluster"), last);

            JsonNode completed = cluster.awaitCompletedApplications(1);
            assertEquals(1, completed.size(), "the Master saw one application: " + completed);
            String appId = completed.get(0).get("id").asText();
            assertExecutorsTrained(cluster.workerDir().resolve(appId));
        }

        assertTrue(Files.exists(runDir.resolve("_SUCCESS")), "the run is committed");
        for (String file : List.of("config.conf", "metrics.jsonl", "summary.json", "manifest.json", "model.zip",
                "data/canonical/_manifest.json")) {
            assertTrue(Files.exists(runDir.resolve(file)), file);
        }
        JsonNode manifest = Json.mapper().readTree(runDir.resolve("manifest.json").toFile());
        assertTrue(manifest.get("spark_master").asText().startsWith("spark://127.0.0.1:"), manifest.toString());
        JsonNode summary = Json.mapper().readTree(runDir.resolve("summary.json").toFile());
        assertEquals(2, summary.get("training").get("workers").asInt());
        assertEquals(500, summary.get("test_examples").asInt());
        double accuracy = summary.get("test_accuracy").asDouble();
        assertTrue(accuracy > 0.5, "a LeNet after two epochs on 3,000 images: " + accuracy);

        Set<String> executors = executorsThatRanTasks(events);
        assertEquals(Set.of("0", "1"), executors, "tasks ran on both executors, none on the driver");
    }

    /**
     * Each executor has its own directory under the Worker (its own JVM's stderr), fetched the application jar and
     * ran tasks with DL4J's native backend loaded.
     */
    private static void assertExecutorsTrained(Path appDir) throws IOException {
        List<Path> executorDirs;
        try (Stream<Path> dirs = Files.list(appDir)) {
            executorDirs = dirs.filter(Files::isDirectory).sorted().toList();
        }
        assertEquals(2, executorDirs.size(), "two executor JVMs: " + executorDirs);
        for (Path executor : executorDirs) {
            String stderr = Files.readString(executor.resolve("stderr"));
            assertTrue(stderr.contains("CoarseGrainedExecutorBackend"), executor + " is an executor JVM");
            assertTrue(stderr.contains("efftrain.jar"), executor + " fetched the application jar");
            assertTrue(stderr.contains("Running task"), executor + " ran tasks");
            assertTrue(stderr.contains("CpuBackend"), executor + " loaded ND4J's CPU backend (it trained)\n"
                    + ChildJvm.last(stderr, 40));
        }
    }

    /** Executor ids of every finished task, from the application's event log. */
    private static Set<String> executorsThatRanTasks(Path events) throws IOException {
        Set<String> executors = new TreeSet<>();
        List<Path> logs;
        try (Stream<Path> files = Files.list(events)) {
            logs = files.toList();
        }
        assertEquals(1, logs.size(), "one event log: " + logs);
        for (String line : Files.readAllLines(logs.get(0))) {
            JsonNode event = Json.mapper().readTree(line);
            if (event.path("Event").asText().equals("SparkListenerTaskEnd")) {
                executors.add(event.path("Task Info").path("Executor ID").asText());
            }
        }
        return executors;
    }
}
