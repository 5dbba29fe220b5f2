package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.jobs.bench.ChildRun;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed with SIGKILL (a real child JVM, {@code destroyForcibly}) and resumed with {@code --resume} ends with
 * the same step count and, within noise, the same accuracy as the same run left alone.
 */
class ResumeAfterKillTest {
    @TempDir
    Path dir;

    private static List<String> args(Path runDir) {
        return List.of("run", "../conf/fashion-mnist.conf", "--run-dir", runDir.toString(),
                "--set", "spark.master=\"local[2]\"", "--set", "data.train-limit=6000", "--set", "data.test-limit=500",
                "--set", "train.budget.epochs=2", "--set", "train.budget.wall-clock=null",
                "--set", "train.steps-per-round=2", "--set", "train.checkpoint-every-rounds=3",
                "--set", "model.lenet.conv1-channels=8", "--set", "model.lenet.conv2-channels=16",
                "--set", "model.lenet.dense-units=64");
    }

    private static int execute(List<String> args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
        return code;
    }

    @Test
    void aKilledRunResumesFromItsCheckpointAndEndsLikeAnUninterruptedOne() throws Exception {
        FashionMnist.require();
        Path whole = dir.resolve("whole");
        execute(args(whole));
        JsonNode expected = Json.mapper().readTree(whole.resolve("summary.json").toFile());

        Path killed = dir.resolve("killed");
        Path staging = dir.resolve(".killed.staging");
        Process child = startChild(args(killed));
        try {
            waitFor(() -> Files.exists(staging.resolve("checkpoint/latest.ckpt"))
                    && lines(staging.resolve("metrics.jsonl")) >= 5, child);
        } finally {
            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child JVM died");
        }
        assertFalse(Files.exists(killed), "a killed run commits nothing");
        assertTrue(Files.exists(staging.resolve("checkpoint/latest.ckpt")));

        List<String> resume = new ArrayList<>(args(killed));
        resume.add("--resume");
        execute(resume);
        JsonNode actual = Json.mapper().readTree(killed.resolve("summary.json").toFile());

        assertTrue(actual.get("resumed_from_round").asLong() > 0, actual.toString());
        assertEquals(expected.get("training").get("steps").asLong(), actual.get("training").get("steps").asLong());
        assertEquals(expected.get("training").get("samples").asLong(), actual.get("training").get("samples").asLong());
        assertEquals(expected.get("training").get("rounds").asLong(), lines(killed.resolve("metrics.jsonl")),
                "every round appears once in the metrics");
        double difference = Math.abs(expected.get("test_accuracy").asDouble() - actual.get("test_accuracy").asDouble());
        assertTrue(difference <= 0.02, "accuracy " + actual.get("test_accuracy") + " vs " + expected.get("test_accuracy"));
        assertTrue(Files.exists(killed.resolve("_SUCCESS")));

        // SIGTERM (a scheduler stopping the task): the run stops at a round boundary with a checkpoint and says so.
        Path stopped = dir.resolve("stopped");
        Path stoppedStaging = dir.resolve(".stopped.staging");
        Process terminated = startChild(args(stopped));
        try {
            waitFor(() -> lines(stoppedStaging.resolve("metrics.jsonl")) >= 4, terminated);
        } finally {
            terminated.destroy();
            assertTrue(terminated.waitFor(150, TimeUnit.SECONDS), "the child JVM stopped");
        }
        String log = Files.readString(dir.resolve("child.log"));
        assertEquals(143, terminated.exitValue(), log);
        assertTrue(log.contains("efftrain: error: stopped by a termination signal after round")
                && !log.contains("internal failure"), log);
        assertTrue(Files.exists(stoppedStaging.resolve("checkpoint/latest.ckpt")), "a checkpoint to resume from");
        assertFalse(Files.exists(stopped), "a stopped run commits nothing");
        List<String> resumeStopped = new ArrayList<>(args(stopped));
        resumeStopped.add("--resume");
        execute(resumeStopped);
        JsonNode afterStop = Json.mapper().readTree(stopped.resolve("summary.json").toFile());
        assertEquals(expected.get("training").get("steps").asLong(), afterStop.get("training").get("steps").asLong());
    }

    private Process startChild(List<String> args) {
        return ChildRun.start(args, 2048, List.of(), dir.resolve("child.log"));
    }

    private void waitFor(java.util.function.BooleanSupplier condition, Process child) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (!condition.getAsBoolean()) {
            assertTrue(child.isAlive(), "the child run ended before it could be killed: "
                    + Files.readString(dir.resolve("child.log")));
            assertTrue(System.nanoTime() < deadline, "no checkpoint within 3 minutes");
            Thread.sleep(20);
        }
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }
}
