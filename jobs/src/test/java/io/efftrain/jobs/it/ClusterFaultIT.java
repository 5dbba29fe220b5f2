package io.efftrain.jobs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults on a real standalone cluster (a Master, a Worker and two one-core executors, each its own JVM): an executor
 * JVM killed with SIGKILL in the middle of a training round, and the driver (the SparkSubmit JVM) killed with SIGKILL
 * and the run submitted again with {@code --resume}. Each ends exactly like an undisturbed run of the same command
 * on the same cluster, to the last digit: the same rounds, steps, samples and losses in metrics.jsonl and the same
 * test accuracy. That is what the trainer guarantees: a round's task is a pure function of the broadcast model, the
 * plan and the worker's block; a block is rebuilt from the table with the same examples in the same order wherever
 * Spark recomputes it (hashed by id, sorted by id); and a sum of two workers' results does not depend on which
 * arrives first. One cluster, one prepared table (a Fashion-MNIST slice) and one undisturbed run serve both tests.
 */
class ClusterFaultIT {
    private static final Pattern RUNNING = Pattern.compile("Running task \\S+ in stage \\S+ \\(TID (\\d+)\\)");
    /** The fields of a metrics.jsonl row that describe training, not how long it took. */
    private static final List<String> TRAINING_FIELDS = List.of("round", "step", "samples", "epoch", "budget_used",
            "learning_rate", "loss", "step_losses", "flops");
    private static final long TIMEOUT_MINUTES = 10;

    @TempDir
    static Path dir;

    private static StandaloneCluster cluster;
    private static SparkDistribution spark;
    private static Path table;
    private static Run undisturbed;

    /** A committed run directory's summary.json and metrics.jsonl rows. */
    private record Run(JsonNode summary, List<JsonNode> metrics) {
        static Run of(Path runDir) throws IOException {
            assertTrue(Files.exists(runDir.resolve("_SUCCESS")), runDir + " is committed");
            List<JsonNode> rows = new ArrayList<>();
            for (String line : Files.readAllLines(runDir.resolve("metrics.jsonl"))) {
                rows.add(Json.mapper().readTree(line));
            }
            return new Run(Json.mapper().readTree(runDir.resolve("summary.json").toFile()), rows);
        }

        long rounds() {
            return summary.path("training").path("rounds").asLong();
        }
    }

    /**
     * Three epochs of the table's 3,000 training images in rounds of 4 steps (9 rounds), checkpoints every 2 rounds.
     * The table is prepared once: preparing takes longer than training this slice. No evaluation during training,
     * so every task between the first round and the end of training is a training round's, and no wall-clock
     * limit, whose estimate would make the schedule depend on how long a fault took.
     */
    private static List<String> run(Path runDir, String... more) {
        List<String> args = new ArrayList<>(List.of(
                "run", BuiltArtifacts.confDir().resolve("fashion-mnist.conf").toString(),
                "--run-dir", runDir.toString(),
                "--set", "data.source=table", "--set", "data.table=\"" + table + "\"",
                "--set", "train.budget.epochs=3", "--set", "train.budget.wall-clock=null",
                "--set", "train.workers=2", "--set", "train.steps-per-round=4",
                "--set", "train.checkpoint-every-rounds=2", "--set", "train.evaluation.every-epochs=null",
                "--set", "model.lenet.conv1-channels=8", "--set", "model.lenet.conv2-channels=16",
                "--set", "model.lenet.dense-units=64"));
        args.addAll(List.of(more));
        return args;
    }

    @BeforeAll
    static void startTheClusterAndTrainUndisturbed() throws Exception {
        FashionMnist.require();
        spark = SparkDistribution.create(dir.resolve("spark"), BuiltArtifacts.sparkLib(), List.of());
        cluster = StandaloneCluster.start(spark, dir.resolve("cluster"), 2, "3g");
        table = dir.resolve("tables/fm-3000");
        try (ChildJvm prepare = submit("prepare", List.of("prepare",
                BuiltArtifacts.confDir().resolve("fashion-mnist.conf").toString(), "--out", table.toString(),
                "--set", "data.train-limit=3000", "--set", "data.test-limit=500"))) {
            assertExitsWith(0, prepare);
        }
        Path runDir = dir.resolve("runs/undisturbed");
        try (ChildJvm submit = submit("undisturbed", run(runDir))) {
            assertExitsWith(0, submit);
        }
        undisturbed = Run.of(runDir);
        assertTrue(undisturbed.rounds() >= 8, "enough rounds to kill something in the middle: " + undisturbed.summary);
    }

    @AfterAll
    static void stopTheCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void anExecutorKilledMidRoundIsRetriedAndTheRunEndsExactlyAsUndisturbed() throws Exception {
        Path runDir = dir.resolve("runs/executor-killed");
        Path metrics = dir.resolve("runs/.executor-killed.staging/metrics.jsonl");
        Killed killed;
        Set<String> earlier = cluster.applications();
        try (ChildJvm submit = submit("executor-killed", run(runDir))) {
            String app = cluster.awaitNewApplication(earlier);
            await(() -> lines(metrics) >= 2, submit, "a second round in metrics.jsonl");
            killed = killAnExecutorInATask(app, submit);
            assertTrue(lines(metrics) < undisturbed.rounds(), "the executor died while the run still trained");
            assertExitsWith(0, submit);
        }

        List<JsonNode> events = eventLog("executor-killed");
        JsonNode failed = taskEnd(events, killed.task);
        assertEquals("ExecutorLostFailure", failed.path("Task End Reason").path("Reason").asText(), failed.toString());
        assertEquals(killed.executor, failed.path("Task Info").path("Executor ID").asText());
        long stage = failed.path("Stage ID").asLong();
        assertTrue(stageDetails(events, stage).contains("io.efftrain.trainers.loop.TrainingLoop.fit"),
                "the killed task was a training round's: " + stageDetails(events, stage));
        int index = failed.path("Task Info").path("Index").asInt();
        // The round's job succeeded although one of its tasks was lost: Spark ran that partition again. Where the
        // retry shows up varies: in the same task set, or, when the lost executor's shuffle output makes a task
        // fail with FetchFailed, in a new attempt of the stage that runs only the missing partitions, where a task's
        // Index is its place in that smaller set (worker 1's retry was index 0). So the job's result is asserted,
        // and the stage's task ends are printed.
        long job = events.stream().filter(e -> e.path("Event").asText().equals("SparkListenerJobStart")
                        && streamOf(e.path("Stage IDs")).anyMatch(id -> id.asLong() == stage))
                .mapToLong(e -> e.path("Job ID").asLong()).findFirst()
                .orElseThrow(() -> new AssertionError("no job holds stage " + stage));
        assertTrue(events.stream().anyMatch(e -> e.path("Event").asText().equals("SparkListenerJobEnd")
                        && e.path("Job ID").asLong() == job
                        && e.path("Job Result").path("Result").asText().equals("JobSucceeded")),
                "the round's job " + job + " succeeded after the loss of worker " + index + "'s task");
        System.out.println("[ClusterFaultIT] task ends of stage " + stage + ": " + events.stream()
                .filter(e -> isTaskEnd(e) && e.path("Stage ID").asLong() == stage)
                .map(e -> "index " + e.path("Task Info").path("Index").asInt() + " attempt "
                        + e.path("Stage Attempt ID").asInt() + " " + e.path("Task End Reason").path("Reason").asText())
                .toList());
        assertTrue(events.stream().anyMatch(e -> e.path("Event").asText().equals("SparkListenerExecutorRemoved")
                && e.path("Executor ID").asText().equals(killed.executor)), "the driver saw the executor go");
        // The Master gives the freed core to a new executor at once; whether it registers with the driver before
        // training ends depends on how fast the machine is, so the Worker's launch is what is checked.
        List<String> launched;
        try (Stream<Path> executors = Files.list(cluster.workerDir().resolve(killed.app))) {
            launched = executors.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
        assertTrue(launched.size() >= 3 && launched.contains(killed.executor),
                "the Worker launched a replacement for executor " + killed.executor + ": " + launched);

        // Where the rest of training ran, for the test report: Spark places a round's tasks where their blocks are
        // cached, so after the loss both workers' blocks live on the surviving executor.
        Map<String, Long> laterTasks = events.stream()
                .filter(e -> isTaskEnd(e) && e.path("Task Info").path("Task ID").asLong() > killed.task)
                .collect(Collectors.groupingBy(e -> e.path("Task Info").path("Executor ID").asText(), TreeMap::new,
                        Collectors.counting()));
        System.out.println("[ClusterFaultIT] executor " + killed.executor + " killed in task " + killed.task
                + " (stage " + stage + ", worker " + index + ") after round " + killed.roundsBefore
                + "; executors launched " + launched + "; later tasks by executor " + laterTasks);
        assertTrainedAlike(Run.of(runDir), "an executor killed in round " + (killed.roundsBefore + 1));
    }

    @Test
    void aDriverKilledMidTrainingResumesOnTheClusterAndEndsExactlyAsUndisturbed() throws Exception {
        Path runDir = dir.resolve("runs/driver-killed");
        Path staging = dir.resolve("runs/.driver-killed.staging");
        Path checkpoint = staging.resolve("checkpoint/latest.ckpt");
        try (ChildJvm driver = submit("driver-killed", run(runDir))) {
            await(() -> Files.exists(checkpoint) && lines(staging.resolve("metrics.jsonl")) >= 3, driver,
                    "a checkpoint and a round after it");
            driver.kill();
        }
        long roundsBeforeKill = lines(staging.resolve("metrics.jsonl"));
        assertTrue(roundsBeforeKill < undisturbed.rounds(), "the driver died while the run still trained");
        assertFalse(Files.exists(runDir), "a killed run commits nothing");
        assertTrue(Files.exists(checkpoint), "its checkpoint is kept");

        try (ChildJvm resumed = submit("driver-resumed", run(runDir, "--resume"))) {
            assertExitsWith(0, resumed);
            assertTrue(resumed.stderr().contains("[train] resuming from the checkpoint of round"), resumed.tail());
        }
        Run run = Run.of(runDir);
        long resumedFrom = run.summary.path("resumed_from_round").asLong();
        assertTrue(resumedFrom > 0 && resumedFrom <= roundsBeforeKill, "resumed from round " + resumedFrom
                + ", killed after round " + roundsBeforeKill);
        assertFalse(Files.exists(staging), "the committed run leaves no staging folder");
        assertFalse(Files.exists(dir.resolve("runs/.driver-killed.lock")), "nor the killed driver's lock");
        assertTrainedAlike(run, "the driver killed after round " + roundsBeforeKill + " and resumed from round "
                + resumedFrom);
    }

    /** Every round's steps, samples, learning rate and losses, and the test accuracy, as the undisturbed run's. */
    private static void assertTrainedAlike(Run actual, String what) {
        assertEquals(undisturbed.metrics.size(), actual.metrics.size(), what + ": every round appears once");
        for (int i = 0; i < actual.metrics.size(); i++) {
            for (String field : TRAINING_FIELDS) {
                assertEquals(undisturbed.metrics.get(i).get(field), actual.metrics.get(i).get(field),
                        what + ": metrics.jsonl row " + (i + 1) + ", " + field);
            }
        }
        for (String field : List.of("steps", "samples", "rounds", "epochs", "final_loss", "workers")) {
            assertEquals(undisturbed.summary.path("training").get(field), actual.summary.path("training").get(field),
                    what + ": summary.json training." + field);
        }
        assertEquals(undisturbed.summary.get("test_loss"), actual.summary.get("test_loss"), what + ": test_loss");
        assertEquals(undisturbed.summary.get("test_accuracy").asDouble(), actual.summary.get("test_accuracy").asDouble(),
                what + ": test_accuracy");
    }

    /** The executor and task a kill hit, and how many rounds metrics.jsonl held before it. */
    private record Killed(String app, String executor, long task, long roundsBefore) {
    }

    /**
     * Kills (SIGKILL) the executor that has just started a task: the Worker copies each executor's log into
     * {@code <work-dir>/<app>/<executor>/stderr}, where a task's "Running task ... (TID n)" line appears as it
     * starts and its "Finished task" line before its result is sent. A round's task trains for a few hundred
     * milliseconds, so one seen starting within the last poll is killed well inside it; should it have finished
     * first all the same (its "Finished" line is in the dead executor's log), the next task that starts is killed.
     */
    private static Killed killAnExecutorInATask(String app, ChildJvm submit) throws Exception {
        Path metrics = dir.resolve("runs/.executor-killed.staging/metrics.jsonl");
        Path appDir = cluster.workerDir().resolve(app);
        Set<Long> seen = new HashSet<>();
        boolean armed = false;
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            assertTrue(submit.isAlive(), "the run ended before an executor could be killed in a task\n" + submit.tail());
            assertTrue(System.nanoTime() < deadline, "no executor was killed within a task in 2 minutes");
            for (Map.Entry<String, ProcessHandle> executor : cluster.executorProcesses(app).entrySet()) {
                Path log = appDir.resolve(executor.getKey()).resolve("stderr");
                List<Long> started = startedTasks(read(log));
                long rounds = lines(metrics);
                for (long task : started) {
                    if (seen.add(task) && armed && !finished(read(log), task)) {
                        executor.getValue().destroyForcibly();
                        executor.getValue().onExit().get(1, TimeUnit.MINUTES);
                        if (!finished(read(log), task)) {
                            return new Killed(app, executor.getKey(), task, rounds);
                        }
                    }
                }
            }
            armed = true;
            TimeUnit.MILLISECONDS.sleep(5);
        }
    }

    private static List<Long> startedTasks(String log) {
        List<Long> tasks = new ArrayList<>();
        Matcher m = RUNNING.matcher(log);
        while (m.find()) {
            tasks.add(Long.parseLong(m.group(1)));
        }
        return tasks;
    }

    private static boolean finished(String log, long task) {
        return Pattern.compile("Finished task \\S+ in stage \\S+ \\(TID " + task + "\\)").matcher(log).find();
    }

    private static ChildJvm submit(String name, List<String> efftrainArgs) throws IOException {
        Path events = Files.createDirectories(dir.resolve("events").resolve(name));
        return ClusterSubmit.efftrain(spark, cluster, name, events, efftrainArgs)
                .workingDirectory(dir)
                .start(dir.resolve("logs"));
    }

    private static void assertExitsWith(int expected, ChildJvm submit) throws Exception {
        OptionalInt code = submit.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES);
        assertTrue(code.isPresent(), "the submitted run did not end within " + TIMEOUT_MINUTES + " minutes\n"
                + submit.tail());
        assertEquals(expected, code.getAsInt(), submit.tail() + "\n" + cluster.logs());
        // The run's own account (stage seconds, accuracy), for whoever reads the test report.
        System.out.println("[ClusterFaultIT] " + submit.name() + " ran " + submit.seconds() + " s: "
                + ChildJvm.last(submit.stdout(), 1));
        System.out.println(ChildJvm.last(submit.stderr().lines().filter(l -> l.startsWith("["))
                .collect(Collectors.joining("\n")), 8));
    }

    /** Waits for something the run writes, failing if it ends first. */
    private static void await(BooleanSupplier condition, ChildJvm submit, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(TIMEOUT_MINUTES);
        while (!condition.getAsBoolean()) {
            assertTrue(submit.isAlive(), "the run ended before " + what + "\n" + submit.tail());
            if (System.nanoTime() > deadline) {
                fail("no " + what + " within " + TIMEOUT_MINUTES + " minutes\n" + submit.tail());
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
    }

    /** The events of the one application submitted as {@code name}. */
    private static List<JsonNode> eventLog(String name) throws IOException {
        List<Path> logs;
        try (Stream<Path> files = Files.list(dir.resolve("events").resolve(name))) {
            logs = files.toList();
        }
        assertEquals(1, logs.size(), "one event log: " + logs);
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(logs.get(0))) {
            events.add(Json.mapper().readTree(line));
        }
        return events;
    }

    private static Stream<JsonNode> streamOf(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false);
    }

    private static boolean isTaskEnd(JsonNode event) {
        return event.path("Event").asText().equals("SparkListenerTaskEnd");
    }

    private static JsonNode taskEnd(List<JsonNode> events, long task) {
        return events.stream().filter(e -> isTaskEnd(e) && e.path("Task Info").path("Task ID").asLong() == task)
                .findFirst().orElseThrow(() -> new AssertionError("no end of task " + task + " in the event log"));
    }

    /** The call site of a stage: the driver's stack where the job was started. */
    private static String stageDetails(List<JsonNode> events, long stage) {
        return events.stream().filter(e -> e.path("Event").asText().equals("SparkListenerStageSubmitted")
                        && e.path("Stage Info").path("Stage ID").asLong() == stage)
                .map(e -> e.path("Stage Info").path("Details").asText()).findFirst().orElse("");
    }

    private static long lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).size() : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
