package io.efftrain.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.jobs.CommandResult;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.pipeline.run.Json;
import io.efftrain.pipeline.testing.FashionMnist;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * bench on a tiny slice through the entry point: bench.json has the promised fields for every recipe, the
 * scored recipe pays for the score job on its time axis, and the plot is a real PNG.
 */
class TimeToAccuracyBenchTest {
    /** A slice and a network small enough for a test. */
    private static final List<String> TINY = List.of("spark.master=\"local[2]\"", "data.train-limit=1200",
            "data.test-limit=300", "train.budget.epochs=1", "model.lenet.conv1-channels=8",
            "model.lenet.conv2-channels=16", "model.lenet.dense-units=64");

    @TempDir
    Path dir;

    @Test
    void benchWritesTheFiguresAndThePlotForEveryRecipe() throws IOException {
        FashionMnist.require();
        Path out = dir.resolve("bench");
        CommandResult result = CommandResult.execute(new String[] {"bench", "--quick", "--out", out.toString(),
            "--set", "spark.master=\"local[2]\"", "--set", "data.train-limit=1200", "--set", "data.test-limit=300",
            "--set", "train.budget.epochs=1", "--set", "model.lenet.conv1-channels=8",
            "--set", "model.lenet.conv2-channels=16", "--set", "model.lenet.dense-units=64"});
        assertEquals(0, result.code(), result.err());

        JsonNode bench = Json.mapper().readTree(out.resolve("bench.json").toFile());
        assertTrue(bench.get("gemm_peak_gflops").asDouble() > 0);
        assertTrue(bench.get("gemm_gflops_per_thread").asDouble()
                >= bench.get("gemm_gflops_per_thread_at_start").asDouble());
        assertEquals(bench.get("gemm_gflops_per_thread").asDouble() * bench.get("workers").asInt(),
                bench.get("gemm_peak_gflops").asDouble(), 1e-9);
        // The processor, without which two runs' shares of the peak cannot be compared.
        assertEquals(bench.get("available_processors").asInt(), bench.get("cpu").get("processors").asInt());
        assertTrue(bench.get("cpu").has("model_name") && bench.get("cpu").has("avx512"), bench.get("cpu").toString());
        // Untimed runs of DL4J's layers and the fast path came first, so neither baseline paid for the JIT.
        List<String> warmedUp = new java.util.ArrayList<>();
        bench.get("warmup").forEach(w -> warmedUp.add(w.get("recipe").asText()));
        assertEquals(List.of(BenchRecipe.BASELINE, "e2e-fast-cpu"), warmedUp);
        assertTrue(Files.exists(out.resolve("warmup/e2e/summary.json")));
        JsonNode recipes = bench.get("recipes");
        assertEquals(BenchRecipe.standard().size(), recipes.size());
        assertEquals(BenchRecipe.BASELINE, recipes.get(0).get("name").asText());
        double scoreJob = bench.get("score_job_seconds").asDouble();
        assertTrue(scoreJob > 0);
        for (JsonNode r : recipes) {
            for (String field : List.of("name", "model", "samples_per_s", "gflops", "final_test_accuracy")) {
                assertNotNull(r.get(field), field + " of " + r);
            }
            List<String> targets = new java.util.ArrayList<>();
            r.get("seconds_to").fieldNames().forEachRemaining(targets::add);
            assertEquals(List.of("0.88", "0.90", "0.91", "0.915", "0.92"), targets);
            assertTrue(r.get("samples_per_s").asDouble() > 0);
            double cpuShare = r.get("worker_cpu_share").asDouble();
            assertTrue(cpuShare > 0 && cpuShare <= 1.001, "worker_cpu_share of " + r.get("name") + ": " + cpuShare);
            double balance = r.get("worker_balance").asDouble();
            assertTrue(balance > 0 && balance <= 1 + 1e-9, "worker_balance of " + r.get("name") + ": " + balance);
            double coordination = r.get("coordination_share").asDouble();
            assertTrue(coordination > 0 && coordination < 1, "coordination_share of " + r.get("name") + ": "
                    + coordination);
            // The peak is the fastest multiply of the run, so no recipe's share is measured against a slow moment.
            double best = bench.get("gemm_gflops_per_thread").asDouble();
            double before = r.get("gemm_gflops_per_thread_before").asDouble();
            assertTrue(before > 0 && before <= best, r.toString());
            assertEquals(before / best, r.get("machine_speed").asDouble(), 1e-9);
            assertEquals(r.get("gflops").asDouble() / bench.get("gemm_peak_gflops").asDouble(),
                    r.get("fraction_of_gemm_peak").asDouble(), 1e-9);
            double firstPoint = r.get("curve").get(0).get(0).asDouble();
            if (r.get("name").asText().startsWith("static-pruning")) {
                assertEquals(scoreJob, r.get("score_job_seconds").asDouble(), 1e-9);
                assertTrue(firstPoint > scoreJob, "the scored recipe's curve starts after the score job");
            } else {
                assertEquals(0, r.get("score_job_seconds").asDouble());
                assertTrue(firstPoint <= r.get("training_seconds").asDouble() + 1e-6, r.toString());
            }
        }
        BufferedImage plot = ImageIO.read(out.resolve("accuracy-vs-time.png").toFile());
        assertTrue(plot.getWidth() > 0 && plot.getHeight() > 0);
        assertTrue(result.out().contains("bench.json"), result.out());
        assertTrue(result.err().contains("to 0.90") && result.err().contains("cpu share")
                && result.err().contains("machine"), "the table is printed");
        assertTrue(Files.exists(out.resolve("runs/e2e/_SUCCESS")), "every recipe is a complete run");
        String report = Files.readString(out.resolve("report.html"));
        for (BenchRecipe recipe : BenchRecipe.standard()) {
            assertTrue(report.contains(recipe.name()), "the bench's report overlays " + recipe.name());
        }
        assertTrue(report.contains("data:image/png;base64,"), "with its plots inline");
        assertFalse(Files.exists(out.resolve(TimeToAccuracyBench.PARTIAL)), "bench.json replaced the partial figures");

        CommandResult again = CommandResult.execute(new String[] {"bench", "--quick", "--out", out.toString()});
        assertEquals(6, again.code(), "an existing bench is not overwritten");
    }

    @Test
    void aFailingRecipeLeavesTheFinishedRecipesFiguresAndNoBenchJson() throws IOException {
        FashionMnist.require();
        Path out = dir.resolve("failing");
        BenchRecipe finished = BenchRecipe.standard().get(1);
        BenchRecipe broken = new BenchRecipe("broken", "lenet", List.of("train.batch-size=0"), false);
        TimeToAccuracyBench bench = new TimeToAccuracyBench(Clock.systemUTC(), Ticker.system(),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertThrows(EfftrainException.class, () -> bench.run(null, TINY, true, out, List.of(finished, broken)));
        assertFalse(Files.exists(out.resolve("bench.json")));
        JsonNode partial = Json.mapper().readTree(out.resolve(TimeToAccuracyBench.PARTIAL).toFile());
        assertEquals(1, partial.get("recipes").size());
        assertEquals(finished.name(), partial.get("recipes").get(0).get("name").asText());
    }

    @Test
    void theBenchRefusesToCallValidationAccuracyTimeToTestAccuracy() {
        Path out = dir.resolve("validation");
        CommandResult result = CommandResult.execute(new String[] {"bench", "--quick", "--out", out.toString(),
            "--set", "train.evaluation.split=validation"});
        assertEquals(ExitCode.BAD_CONFIG.code(), result.code(), result.err());
        assertTrue(result.err().contains("measures time to test accuracy"), result.err());
        assertFalse(Files.exists(out.resolve("bench.json")));
    }

    @Test
    void theTableKeepsItsColumnsForLongRecipeNames() {
        List<java.util.Map<String, Object>> results = new java.util.ArrayList<>();
        for (String name : List.of("e2e", "large-batch+half-budget+infobatch+ls")) {
            java.util.Map<String, Object> r = new java.util.LinkedHashMap<>();
            r.put("name", name);
            r.put("final_test_accuracy", 0.9);
            r.put("training_seconds", 12.5);
            r.put("score_job_seconds", 0.0);
            r.put("samples_per_s", 8000.0);
            r.put("worker_cpu_share", name.equals("e2e") ? 0.95 : null);
            r.put("machine_speed", name.equals("e2e") ? 1.0 : 0.87);
            r.put("worker_balance", name.equals("e2e") ? 0.93 : null);
            r.put("coordination_share", name.equals("e2e") ? 0.11 : null);
            java.util.Map<String, Object> to = new java.util.LinkedHashMap<>();
            to.put("0.88", 3.0);
            to.put("0.90", name.equals("e2e") ? 10.0 : null);
            to.put("0.91", null);
            to.put("0.915", null);
            to.put("0.92", null);
            r.put("seconds_to", to);
            results.add(r);
        }
        List<String> lines = TimeToAccuracyBench.table(results).lines().toList();
        assertEquals(3, lines.size());
        int header = lines.get(0).indexOf("accuracy");
        for (String line : lines.subList(1, 3)) {
            assertEquals(lines.get(0).length(), line.length(), "every row as wide as the header:\n" + lines);
            assertEquals(' ', line.charAt(header - 1), line);
        }
        assertTrue(lines.get(2).contains(" - "), "a missing figure is a dash: " + lines.get(2));
        assertTrue(lines.get(0).contains("to 0.91 ") && lines.get(0).contains("to 0.915 "), lines.get(0));
        assertEquals("0.915", TimeToAccuracyBench.targetKey(0.915));
        assertEquals("0.90", TimeToAccuracyBench.targetKey(0.90));
        assertTrue(lines.get(2).contains(" 0.87 "), "the machine's speed before the recipe: " + lines.get(2));
        assertTrue(lines.get(0).contains("balance") && lines.get(0).contains("coord."), lines.get(0));
        assertTrue(lines.get(1).contains(" 0.93 ") && lines.get(1).contains(" 0.11 "), "balance and coordination: "
                + lines.get(1));
    }

    @Test
    void axisLimitsAreRoundAndAFewLowPointsDoNotSqueezeTheCurves() throws IOException {
        assertEquals(200, AccuracyPlot.niceCeiling(151), 1e-9);
        assertEquals(50, AccuracyPlot.niceCeiling(50), 1e-9);
        assertEquals(800, AccuracyPlot.niceCeiling(650), 1e-9);
        List<Double> mostlyHigh = new java.util.ArrayList<>(java.util.Collections.nCopies(30, 0.9));
        mostlyHigh.add(0.41);
        assertEquals(0.8, AccuracyPlot.lowerAccuracyBound(mostlyHigh), 1e-9);
        assertEquals(0.6, AccuracyPlot.lowerAccuracyBound(List.of(0.62, 0.7, 0.8)), 1e-9);

        // The picture of a full benchmark's shape (more recipes than colours), kept in target/ to look at.
        Path png = Path.of("target", "accuracy-vs-time-example.png");
        List<AccuracyPlot.Curve> curves = new java.util.ArrayList<>();
        for (int i = 0; i < 10; i++) {
            double end = 120 - 10 * i;
            curves.add(new AccuracyPlot.Curve("large-batch+short-rex+infobatch-" + i, List.of(new double[] {end / 6,
                    0.82 + 0.002 * i}, new double[] {end / 2, 0.89}, new double[] {end, 0.905 + 0.001 * i})));
        }
        AccuracyPlot.write(png, "example", curves, TimeToAccuracyBench.TARGETS);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(960, image.getWidth());
    }

    @Test
    void recipesCanBeChosenByNameAndAnUnknownNameListsTheKnownOnes() {
        java.time.Clock clock = java.time.Clock.systemUTC();
        BenchOptions two = BenchOptions.parse(List.of("--recipes", "infobatch,e2e"), clock);
        assertEquals(List.of("e2e", "infobatch"), two.selectedRecipes().stream().map(BenchRecipe::name).toList());
        assertEquals(BenchRecipe.standard(false).size(),
                BenchOptions.parse(List.of(), clock).selectedRecipes().size());
        EfftrainException unknown = assertThrows(EfftrainException.class,
                () -> BenchOptions.parse(List.of("--quick", "--recipes", "deep-incubation"), clock).selectedRecipes());
        assertTrue(unknown.getMessage().contains("no recipe 'deep-incubation' in the quick benchmark")
                && unknown.getMessage().contains("large-batch+short-rex+infobatch"), unknown.getMessage());
    }
}
