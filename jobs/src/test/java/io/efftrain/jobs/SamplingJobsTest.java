package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** dedup, score and prune as a scheduler runs them: through the entry point, idempotent, nothing lost. */
class SamplingJobsTest {
    private static final String CONFIG = "../conf/fashion-mnist.conf";
    private static final List<String> SMALL = List.of("--set", "spark.master=\"local[2]\"",
            "--set", "model.lenet.conv1-channels=8", "--set", "model.lenet.conv2-channels=16",
            "--set", "model.lenet.dense-units=64", "--set", "sampling.scoring.proxy-epochs=1");

    @TempDir
    Path dir;

    private static CommandResult run(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(SMALL);
        CommandResult result = CommandResult.execute(all.toArray(String[]::new));
        assertEquals(0, result.code(), result.err());
        return result;
    }

    private static JsonNode manifest(Path table) throws IOException {
        return Json.mapper().readTree(table.resolve("_manifest.json").toFile());
    }

    @Test
    void dedupScorePruneKeepEveryRemovedExampleAndRerunsAreNoOps() throws IOException {
        FashionMnist.require();
        Path table = dir.resolve("table");
        run("prepare", CONFIG, "--out", table.toString(), "--set", "data.train-limit=1500",
                "--set", "data.test-limit=300");

        Path deduped = dir.resolve("deduped");
        CommandResult dedup = run("dedup", CONFIG, "--in", table.toString(), "--out", deduped.toString());
        JsonNode lineage = manifest(deduped).get("lineage");
        long removed = lineage.get("removed_exact").asLong() + lineage.get("removed_near").asLong();
        assertEquals(1500 - removed, manifest(deduped).get("countsBySplit").get("train").asLong());
        assertEquals(removed, LocalSpark.session().read().parquet(deduped.resolve("_removed").toString()).count());
        assertTrue(dedup.out().startsWith("table="), dedup.out());
        CommandResult again = run("dedup", CONFIG, "--in", table.toString(), "--out", deduped.toString());
        assertTrue(again.err().contains("up to date"), again.err());

        Path scores = dir.resolve("scores");
        run("score", CONFIG, "--in", deduped.toString(), "--out", scores.toString());
        long train = 1500 - removed;
        var scoreTable = LocalSpark.session().read().parquet(scores.toString());
        assertEquals(train, scoreTable.count());
        assertEquals(List.of("id", "label", "loss", "el2n", "grand", "margin", "correct", "forgetting"),
                List.of(scoreTable.columns()));
        JsonNode info = Json.mapper().readTree(scores.resolve("_scores.json").toFile());
        assertEquals(2, info.get("proxies").asInt());
        assertTrue(run("score", CONFIG, "--in", deduped.toString(), "--out", scores.toString()).err()
                .contains("up to date"));

        Path pruned = dir.resolve("pruned");
        String[] prune = {"prune", CONFIG, "--in", deduped.toString(), "--scores", scores.toString(), "--out",
                pruned.toString(), "--set", "sampling.selection.policy=hardest",
                "--set", "sampling.selection.keep-fraction=0.3"};
        run(prune);
        long kept = Math.round(train * 0.3);
        assertEquals(kept, manifest(pruned).get("countsBySplit").get("train").asLong());
        assertEquals(300, manifest(pruned).get("countsBySplit").get("test").asLong(), "test is never pruned");
        var removedRows = LocalSpark.session().read().parquet(pruned.resolve("_removed").toString());
        assertEquals(train - kept, removedRows.count());
        // Every removed example was easier than every kept one.
        double easiestKept = scoreTable.join(LocalSpark.session().read().parquet(pruned.toString())
                .where("split = 'train'").select("id"), "id").agg(org.apache.spark.sql.functions.min("el2n"))
                .first().getDouble(0);
        double hardestRemoved = removedRows.agg(org.apache.spark.sql.functions.max("score")).first().getDouble(0);
        assertTrue(hardestRemoved <= easiestKept, hardestRemoved + " > " + easiestKept);
        assertTrue(run(prune).err().contains("up to date"));
    }

    @Test
    void runAppliesTheEnabledStagesBeforeTraining() throws IOException {
        FashionMnist.require();
        Path runDir = dir.resolve("run");
        CommandResult result = run("run", CONFIG, "--run-dir", runDir.toString(), "--set", "data.train-limit=1200",
                "--set", "data.test-limit=300", "--set", "train.budget.epochs=1", "--set", "sampling.dedup.enabled=true",
                "--set", "sampling.selection.policy=random", "--set", "sampling.selection.keep-fraction=0.5",
                "--set", "sampling.scoring.seeds=1");
        assertTrue(result.out().contains("test_accuracy="), result.out());
        JsonNode summary = Json.mapper().readTree(runDir.resolve("summary.json").toFile());
        long kept = manifest(runDir.resolve("data/selected")).get("countsBySplit").get("train").asLong();
        assertTrue(kept >= 590 && kept <= 600, "half of the deduplicated 1200: " + kept);
        long samples = summary.get("training").get("samples").asLong();
        long globalBatch = (long) ConfigLoader.load(runDir.resolve("config.conf"), List.of()).train().batchSize()
                * summary.get("training").get("workers").asLong();
        assertTrue(samples >= kept && samples < kept + globalBatch, "one epoch of the kept examples, in whole steps "
                + "of the global batch (" + globalBatch + "): " + samples);
        JsonNode runManifest = Json.mapper().readTree(runDir.resolve("manifest.json").toFile());
        assertEquals("prune", runManifest.get("data").get("lineage").get("job").asText());
        assertTrue(Files.isDirectory(runDir.resolve("data/deduplicated/_removed")));
    }

    @Test
    void runTrainsWithACurriculumFromItsOwnScores() throws IOException {
        FashionMnist.require();
        Path runDir = dir.resolve("curriculum");
        run("run", CONFIG, "--run-dir", runDir.toString(), "--set", "data.train-limit=1200",
                "--set", "data.test-limit=300", "--set", "train.budget.epochs=1", "--set", "sampling.scoring.seeds=1",
                "--set", "sampling.curriculum.pacing=root", "--set", "sampling.curriculum.score=loss");
        assertEquals(1200, LocalSpark.session().read().parquet(runDir.resolve("data/scores").toString()).count(),
                "the curriculum's scores, one per training example");
        JsonNode summary = Json.mapper().readTree(runDir.resolve("summary.json").toFile());
        assertEquals(1.0, summary.get("training").get("epochs").asDouble(), 0.1, "a curriculum keeps the length");
    }

    @Test
    void infoBatchShortensEpochsInRun() throws IOException {
        FashionMnist.require();
        Path runDir = dir.resolve("infobatch");
        run("run", CONFIG, "--run-dir", runDir.toString(), "--set", "data.train-limit=1280",
                "--set", "data.test-limit=300", "--set", "train.budget.epochs=3", "--set", "train.batch-size=32",
                "--set", "sampling.infobatch.enabled=true");
        JsonNode training = Json.mapper().readTree(runDir.resolve("summary.json").toFile()).get("training");
        assertEquals(3.0, training.get("epochs").asDouble(), 1e-9);
        long samples = training.get("samples").asLong();
        assertTrue(samples < 3 * 1280 - 200, "pruned epochs process fewer examples: " + samples);
        assertTrue(samples > 1280, "the first epoch sees everything: " + samples);
    }
}
