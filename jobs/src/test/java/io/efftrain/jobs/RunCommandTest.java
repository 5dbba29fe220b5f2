package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.testing.FashionMnist;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efftrain run} on a Fashion-MNIST slice, through the same entry point spark-submit calls. */
class RunCommandTest {
    private static final Path CONFIG = Path.of("../conf/fashion-mnist.conf");

    @TempDir
    Path dir;

    private static CommandResult execute(String... args) {
        return CommandResult.execute(args);
    }

    private static String[] sliceRun(Path runDir, String... extra) {
        List<String> args = new ArrayList<>(List.of("run", CONFIG.toString(), "--run-dir", runDir.toString(),
                "--set", "spark.master=\"local[2]\"", "--set", "data.train-limit=3000",
                "--set", "data.test-limit=500", "--set", "train.budget.epochs=2",
                "--set", "model.lenet.conv1-channels=8", "--set", "model.lenet.conv2-channels=16",
                "--set", "model.lenet.dense-units=64"));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void runOnASliceCommitsACompleteRunDirectory() throws IOException {
        FashionMnist.require();
        Path runDir = dir.resolve("run");
        CommandResult result = execute(sliceRun(runDir));
        assertEquals(0, result.code(), result.err());

        List<String> lines = result.out().lines().toList();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("test_accuracy=0\\.\\d{4} run_dir=.*run"), last);
        assertTrue(result.err().contains("[train]"), "progress is shown");

        for (String file : List.of("config.conf", "metrics.jsonl", "summary.json", "manifest.json", "model.zip",
                "_SUCCESS", "data/canonical/split=train", "data/canonical/split=test")) {
            assertTrue(Files.exists(runDir.resolve(file)), file + " is in the run directory");
        }
        assertFalse(Files.exists(runDir.resolve("checkpoint")), "checkpoints are not part of a committed run");
        JsonNode summary = Json.mapper().readTree(runDir.resolve("summary.json").toFile());
        double accuracy = summary.get("test_accuracy").asDouble();
        assertTrue(accuracy > 0.5 && accuracy <= 1, "test accuracy " + accuracy);
        assertEquals(500, summary.get("test_examples").asLong());
        assertTrue(summary.get("total_seconds").asDouble() > 0);
        for (String stage : List.of("prepare", "train", "evaluate")) {
            assertTrue(summary.get("stages").get(stage).asDouble() > 0, stage);
        }
        assertEquals("EPOCHS", summary.get("training").get("stop_reason").asText());

        List<String> metrics = Files.readAllLines(runDir.resolve("metrics.jsonl"));
        assertEquals(summary.get("training").get("rounds").asLong(), metrics.size());
        JsonNode round = Json.mapper().readTree(metrics.get(0));
        for (String field : List.of("elapsed_s", "samples", "loss", "learning_rate", "worker_cpu_share",
                "coordination_share", "step_losses")) {
            assertTrue(round.has(field), field);
        }
        assertEquals(round.get("step").asLong(), round.get("step_losses").size(), "one loss per step of the round");
        // The workers' threads cannot have had more CPU than their loops' wall time, nor none at all.
        double cpuShare = summary.get("training").get("worker_cpu_share").asDouble();
        assertTrue(cpuShare > 0 && cpuShare <= 1.001, "worker_cpu_share " + cpuShare);
        double balance = summary.get("training").get("worker_balance").asDouble();
        assertTrue(balance > 0 && balance <= 1.0 + 1e-9, "worker_balance " + balance);
        // A Spark job per round costs something beyond the workers' loops (launch, broadcast, results), never all.
        double coordination = summary.get("training").get("coordination_share").asDouble();
        assertTrue(coordination > 0 && coordination < 1, "coordination_share " + coordination);

        JsonNode manifest = Json.mapper().readTree(runDir.resolve("manifest.json").toFile());
        assertEquals("3.5.7", manifest.get("versions").get("spark").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), manifest.get("driver_cpu").get("processors").asInt());
        assertEquals(3000, manifest.get("data").get("counts").get("train").asLong());
        JsonNode trainImages = manifest.get("data").get("sources").get("train-images");
        assertEquals(FashionMnist.TRAIN_IMAGES.toString(), trainImages.get("path").asText());
        assertEquals(64, trainImages.get("sha256").asText().length());
        assertTrue(Files.isRegularFile(runDir.resolve("data/canonical/_manifest.json")), "the table's own manifest");

        MultiLayerNetwork model = ModelSerializer.restoreMultiLayerNetwork(runDir.resolve("model.zip").toFile());
        assertEquals(10, model.getOutputLayer().getParam("b").length());
        // The model carries the manifest's record: copied away from its run, it still says where it came from.
        RunProvenance carried = RunProvenance.ofModel(runDir.resolve("model.zip"));
        assertEquals(RunProvenance.fromJson(Files.readString(runDir.resolve("manifest.json"))).toJson(),
                carried.toJson());
        assertEquals(3000L, carried.data().counts().get("train"));
        assertEquals(FashionMnist.TRAIN_IMAGES.toString(), carried.data().sources().get("train-images").get("path"));
        assertEquals("3.5.7", carried.versions().get("spark"));

        CommandResult again = execute(sliceRun(runDir));
        assertEquals(ExitCode.ALREADY_DONE.code(), again.code());
        assertTrue(again.err().contains("already holds a completed run"), again.err());
    }

    @Test
    void aMissedTargetCommitsTheRunAndExitsWithTheBudgetCode() throws IOException {
        FashionMnist.require();
        Path runDir = dir.resolve("target");
        CommandResult result = execute(sliceRun(runDir, "--set", "train.evaluation.every-epochs=1",
                "--set", "train.evaluation.target-accuracy=0.995"));
        assertEquals(ExitCode.BUDGET_EXHAUSTED.code(), result.code(), result.err());
        assertTrue(result.err().contains("[eval]"), result.err());
        assertTrue(Files.exists(runDir.resolve("_SUCCESS")));
        JsonNode training = Json.mapper().readTree(runDir.resolve("summary.json").toFile()).get("training");
        assertEquals(2, training.get("evaluations").size(), "one evaluation per epoch");
        assertEquals("EPOCHS", training.get("stop_reason").asText());
        assertTrue(training.get("seconds_to_accuracy").get("0.92").isNull());
    }

    @Test
    void evaluationsDuringTrainingCanReadTheValidationSplitWhileTheFinalAccuracyIsTest() throws IOException {
        FashionMnist.require();
        Path runDir = dir.resolve("validation");
        CommandResult result = execute(sliceRun(runDir, "--set", "data.split.validation=0.2",
                "--set", "train.evaluation.split=validation", "--set", "train.evaluation.every-epochs=1"));
        assertEquals(0, result.code(), result.err());
        JsonNode summary = Json.mapper().readTree(runDir.resolve("summary.json").toFile());
        JsonNode training = summary.get("training");
        assertEquals("validation", training.get("evaluation_split").asText());
        long validation = Json.mapper().readTree(runDir.resolve("manifest.json").toFile())
                .get("data").get("counts").get("validation").asLong();
        assertTrue(validation > 0 && validation != 500, "validation examples " + validation);
        assertEquals(2, training.get("evaluations").size());
        for (JsonNode evaluation : training.get("evaluations")) {
            assertEquals(validation, evaluation.get("examples").asLong(), "evaluated on the validation split");
        }
        // The last evaluation saw the final model, but on validation: the test accuracy is measured separately.
        assertEquals(500, summary.get("test_examples").asLong());
    }

    @Test
    void aValidationSplitThatHoldsNothingIsAConfigErrorNamingBothKeys() {
        FashionMnist.require();
        Path runDir = dir.resolve("no-validation");
        CommandResult result = execute(sliceRun(runDir, "--set", "train.evaluation.split=validation"));
        assertEquals(ExitCode.BAD_CONFIG.code(), result.code(), result.err());
        assertTrue(result.err().contains("train.evaluation.split = validation"), result.err());
        assertTrue(result.err().contains("data.split.validation"), result.err());
        assertFalse(Files.exists(runDir.resolve("_SUCCESS")));
    }

    @Test
    void badConfigExitsWithItsCodeAndLeavesNoRunDirectory() {
        Path runDir = dir.resolve("bad");
        CommandResult result = execute(sliceRun(runDir, "--set", "train.batchsize=3"));
        assertEquals(ExitCode.BAD_CONFIG.code(), result.code());
        assertTrue(result.err().contains("unknown key 'train.batchsize'"), result.err());
        assertFalse(Files.exists(runDir));
    }

    @Test
    void missingInputFileExitsWithBadInputAndLeavesNoRunDirectory() {
        Path runDir = dir.resolve("missing");
        CommandResult result = execute(sliceRun(runDir, "--set", "data.idx.train-images=\"" + dir.resolve("nope.gz") + "\""));
        assertEquals(ExitCode.BAD_INPUT.code(), result.code(), result.err());
        assertTrue(result.err().contains("nope.gz: file does not exist"), result.err());
        assertFalse(Files.exists(runDir));
    }

    @Test
    void unknownCommandIsAUsageError() {
        CommandResult result = execute("trian");
        assertEquals(ExitCode.USAGE.code(), result.code());
        assertTrue(result.err().contains("unknown command 'trian'"));
    }

    @Test
    void aFolderEfftrainDidNotMakeIsNeverWipedAndASchedulersRerunSkipsACompletedRun() throws IOException {
        FashionMnist.require();
        // Issue 34's first problem: a run into a folder holding a user's files deleted them.
        Path theirs = Files.createDirectories(dir.resolve("D/sub")).getParent();
        Files.writeString(theirs.resolve("precious.txt"), "precious");
        CommandResult refused = execute(sliceRun(theirs, "--overwrite"));
        assertEquals(ExitCode.ALREADY_DONE.code(), refused.code(), refused.err());
        assertTrue(refused.err().lines().findFirst().orElse("").contains("did not make"), refused.err());
        assertEquals("precious", Files.readString(theirs.resolve("precious.txt")));
        assertTrue(Files.isDirectory(theirs.resolve("sub")));

        Path runDir = dir.resolve("daily");
        assertEquals(0, execute(sliceRun(runDir, "--set", "train.budget.epochs=0.5")).code());
        String summary = Files.readString(runDir.resolve("summary.json"));
        CommandResult rerun = execute(sliceRun(runDir, "--set", "train.budget.epochs=0.5", "--skip-if-done",
                "--resume"));
        assertEquals(0, rerun.code(), rerun.err());
        assertTrue(rerun.err().contains("nothing to train") && !rerun.err().contains("[train]"), rerun.err());
        assertEquals(summary, Files.readString(runDir.resolve("summary.json")), "the run is not trained again");

        CommandResult other = execute(sliceRun(runDir, "--set", "train.budget.epochs=0.6", "--skip-if-done"));
        assertEquals(ExitCode.ALREADY_DONE.code(), other.code(), other.err());
        assertTrue(other.err().contains("another config"), other.err());
    }

    @Test
    void aDamagedTableIsBadInputAtTrainingTimeAndLeavesNoStaging() throws IOException {
        FashionMnist.require();
        Path table = dir.resolve("table");
        assertEquals(0, execute("prepare", CONFIG.toString(), "--out", table.toString(), "--set",
                "spark.master=\"local[2]\"", "--set", "data.train-limit=600", "--set", "data.test-limit=100").code());
        Path part;
        try (var files = Files.list(table.resolve("split=train"))) {
            part = files.filter(p -> p.toString().endsWith(".parquet")).findFirst().orElseThrow();
        }
        byte[] bytes = Files.readAllBytes(part);
        for (int i = 2000; i < 2100; i++) {
            bytes[i] ^= 0x5A;
        }
        Files.write(part, bytes);

        Path runDir = dir.resolve("on-damaged");
        CommandResult result = execute(sliceRun(runDir, "--set", "data.source=table",
                "--set", "data.table=\"" + table + "\"", "--set", "train.budget.epochs=0.2"));
        assertEquals(ExitCode.BAD_INPUT.code(), result.code(), result.err());
        assertTrue(result.err().contains("efftrain: error: ") && result.err().contains("cannot be read"),
                result.err());
        assertFalse(Files.exists(dir.resolve(".on-damaged.staging")), "no staging folder after a failure");
        assertFalse(Files.exists(runDir));
    }
}
