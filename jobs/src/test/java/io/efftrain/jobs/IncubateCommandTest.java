package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.budget.TrainingTime;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.trainers.incubation.ModuleTaskListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code efftrain incubate} on a Fashion-MNIST slice commits a complete run directory; a module task that fails
 * part-way is resubmitted alone and resumes from its own checkpoint while the other modules run once.
 */
class IncubateCommandTest {
    private static final Path CONFIG = Path.of("../conf/fashion-mnist-incubation.conf");
    private static final int MODULE_STEPS = 16;

    @TempDir
    Path dir;

    private static List<String> slice() {
        return List.of("--set", "spark.master=\"local[2]\"", "--set", "data.train-limit=2000",
                "--set", "data.test-limit=300", "--set", "model.resnet.stem-channels=8",
                "--set", "model.resnet.stage-channels=[8, 16, 16]", "--set", "model.resnet.blocks-per-stage=2",
                "--set", "train.batch-size=32", "--set", "train.steps-per-round=2",
                "--set", "train.evaluation.every-epochs=0.5",
                "--set", "incubation.meta.budget={steps = 10, wall-clock = null}",
                "--set", "incubation.modules.budget={steps = " + MODULE_STEPS + ", wall-clock = null}",
                "--set", "incubation.modules.checkpoint-every-rounds=1",
                "--set", "incubation.fine-tune.budget={steps = 10, wall-clock = null}");
    }

    private static String[] command(String name, Path runDir, String... extra) {
        List<String> args = new ArrayList<>(List.of(name, CONFIG.toString(), "--run-dir", runDir.toString()));
        args.addAll(slice());
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void incubateCommitsACompleteRunDirectoryWithPhaseAndModuleTimes() throws IOException {
        FashionMnist.require();
        Path runDir = dir.resolve("run");
        CommandResult result = CommandResult.execute(command("incubate", runDir));
        assertEquals(0, result.code(), result.err());
        assertTrue(result.out().strip().matches("(?s).*test_accuracy=0\\.\\d{4} run_dir=.*run"), result.out());
        for (String file : List.of("config.conf", "metrics.jsonl", "summary.json", "manifest.json", "model.zip",
                "_SUCCESS", "incubation/meta/metrics.jsonl", "incubation/meta/result.json")) {
            assertTrue(Files.exists(runDir.resolve(file)), file + " is in the run directory");
        }
        assertFalse(Files.exists(runDir.resolve("checkpoint")), "no checkpoints in a committed run");
        JsonNode summary = Json.mapper().readTree(runDir.resolve("summary.json").toFile());
        JsonNode incubation = summary.get("incubation");
        assertEquals("incubation", summary.get("method").asText());
        assertEquals(3, incubation.get("modules_k").asInt());
        for (String phase : List.of("meta", "modules", "assemble", "fine_tune")) {
            assertTrue(incubation.get("phase_seconds").get(phase).asDouble() > 0, phase);
        }
        assertEquals(10, incubation.get("meta").get("steps").asLong());
        // Phase 1 is evaluated as it trains: 10 steps are under half an epoch, so once, where its budget ends; that
        // evaluation saw the final meta model on test, so it is the phase's test accuracy.
        JsonNode metaCurve = incubation.get("meta").get("evaluations");
        assertEquals(1, metaCurve.size(), metaCurve.toString());
        assertEquals(10, metaCurve.get(0).get("step").asLong());
        assertEquals(incubation.get("meta").get("test_accuracy").asDouble(), metaCurve.get(0).get("accuracy").asDouble());
        assertEquals("test", incubation.get("meta").get("evaluation_split").asText());
        JsonNode tasks = incubation.get("modules").get("tasks");
        assertEquals(3, tasks.size());
        for (int m = 0; m < 3; m++) {
            assertEquals(m, tasks.get(m).get("module").asInt());
            assertEquals(MODULE_STEPS, tasks.get(m).get("steps").asLong());
            assertEquals(1, tasks.get(m).get("attempts").asInt());
            assertTrue(tasks.get(m).get("seconds").asDouble() > 0);
            Path module = runDir.resolve("incubation/module-" + m);
            assertTrue(Files.exists(module.resolve("_SUCCESS")) && Files.exists(module.resolve("stage.bin")));
            assertFalse(Files.exists(module.resolve("checkpoint")));
        }
        JsonNode fine = incubation.get("fine_tune");
        assertEquals(10, fine.get("steps").asLong());
        assertEquals(summary.get("test_accuracy").asDouble(), fine.get("accuracy_after").asDouble(), 1e-12);
        assertTrue(fine.get("accuracy_before").asDouble() >= 0);
        JsonNode series = incubation.get("accuracy_vs_time");
        assertEquals("assembled", series.get(0).get("phase").asText());
        for (int i = 1; i < series.size(); i++) {
            assertTrue(series.get(i).get("elapsed_s").asDouble() > series.get(i - 1).get("elapsed_s").asDouble());
        }
        assertTrue(Files.readString(runDir.resolve("config.conf")).contains("enabled=true")
                || Files.readString(runDir.resolve("config.conf")).contains("enabled = true"));
        ComputationGraph model = ModelSerializer.restoreComputationGraph(runDir.resolve("model.zip").toFile());
        assertTrue(model.getConfiguration().getVertices().containsKey("s2b1relu"), "the target, not the meta model");
    }

    @Test
    void runWithIncubationEnabledChecksTheTargetBeforeDoingAnything() {
        Path runDir = dir.resolve("lenet");
        CommandResult result = CommandResult.execute(command("run", runDir, "--set", "model.type=lenet"));
        assertEquals(ExitCode.BAD_CONFIG.code(), result.code(), result.err());
        assertTrue(result.err().contains("model.type = resnet"), result.err());
        assertFalse(Files.exists(runDir));
        CommandResult typo = CommandResult.execute(command("incubate", runDir, "--set", "incubation.modules.atempts=2"));
        assertEquals(ExitCode.BAD_CONFIG.code(), typo.code());
        assertTrue(typo.err().contains("incubation.modules.atempts"), typo.err());
    }

    @Test
    void aFailedModuleTaskIsRetriedAloneFromItsCheckpoint() throws IOException {
        FashionMnist.require();
        Path runDir = dir.resolve("retried");
        List<String> args = new ArrayList<>(List.of(CONFIG.toString(), "--run-dir", runDir.toString()));
        args.addAll(slice());
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        FailOnce failure = new FailOnce(1, 8, dir.resolve("fired").toString());
        RunJob.Outcome outcome = new IncubateJob(Clock.systemUTC(), Ticker.system(),
                new PrintStream(err, true, StandardCharsets.UTF_8), failure).run(RunOptions.parse(args));
        String log = err.toString(StandardCharsets.UTF_8);
        assertTrue(Files.exists(dir.resolve("fired")), "the failure was injected: " + log);
        assertTrue(log.contains("module 1 failed"), log);
        assertTrue(Files.exists(outcome.runDir().resolve("_SUCCESS")));
        assertTrue(Files.exists(outcome.runDir().resolve("model.zip")), "the assembled model is produced");

        JsonNode tasks = Json.mapper().readTree(runDir.resolve("summary.json").toFile())
                .get("incubation").get("modules").get("tasks");
        for (int m = 0; m < 3; m++) {
            JsonNode task = tasks.get(m);
            List<String> starts = Files.readAllLines(runDir.resolve("incubation/module-" + m + "/attempts.log"));
            assertEquals(MODULE_STEPS, task.get("steps").asLong(), "module " + m + " finished its budget");
            if (m == 1) {
                assertEquals(2, task.get("attempts").asInt());
                assertEquals(2, starts.size());
                assertTrue(task.get("resumed_from_step").asLong() >= 8, "resumed from its checkpoint: " + task);
            } else {
                assertEquals(1, task.get("attempts").asInt(), "module " + m + " ran once");
                assertEquals(1, starts.size(), "module " + m + " started once");
                assertEquals(0, task.get("resumed_from_step").asLong());
            }
        }
    }

    /**
     * Throws once, in the first attempt of one module after a checkpointed round at or past a step; a marker file
     * (not memory: the listener is a copy in every task) makes it fire only once.
     */
    private record FailOnce(int module, long afterStep, String marker) implements ModuleTaskListener {
        @Override
        public void roundEnded(int module, int attempt, TrainingTime time, Path directory) {
            if (module == this.module && time.steps() >= afterStep && !Files.exists(Path.of(marker))) {
                try {
                    Files.writeString(Path.of(marker), "module " + module + " attempt " + attempt + " step "
                            + time.steps());
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                throw new IllegalStateException("injected failure of module " + module + " at step " + time.steps());
            }
        }
    }
}
