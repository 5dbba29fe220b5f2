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
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efftrain tune} through the command line's entry point, on real data and a real local Spark. */
class TuneCommandTest {
    private static final Path CONFIG = Path.of("../conf/fashion-mnist.conf");
    private static final List<String> SLICE = List.of("--set", "spark.master=\"local[2]\"",
            "--set", "data.train-limit=1000", "--set", "data.test-limit=500", "--set", "train.budget.epochs=2",
            "--set", "model.lenet.conv1-channels=8", "--set", "model.lenet.conv2-channels=16",
            "--set", "model.lenet.dense-units=64");

    @TempDir
    Path dir;

    private static String[] args(String command, Path config, Path out, List<String> sets) {
        List<String> args = new ArrayList<>(List.of(command, config.toString(), "--run-dir", out.toString()));
        args.addAll(sets);
        return args.toArray(String[]::new);
    }

    private static List<JsonNode> lines(Path file) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            out.add(Json.mapper().readTree(line));
        }
        return out;
    }

    @Test
    void aResumedTuneReusesTheTrialsThatFinished() throws IOException {
        FashionMnist.require();
        List<String> sets = new ArrayList<>(SLICE);
        sets.addAll(List.of("--set", "train.budget.epochs=1", "--set", "tune.trials=2", "--set", "tune.eta=2",
                "--set", "tune.space=[{ key = train.optimizer.learning-rate, values = [0.001, 0.004] }]"));
        Path whole = dir.resolve("whole");
        CommandResult first = CommandResult.execute(args("tune", CONFIG, whole, sets));
        assertEquals(0, first.code(), first.err());
        // What a tune killed after its first rung leaves: the staging folder without the last rung and the outputs.
        Path staging = dir.resolve(".cut.staging");
        copyTree(whole, staging);
        for (String done : List.of("trials.jsonl", "best.conf", "summary.json", "report.html", "_SUCCESS")) {
            Files.delete(staging.resolve(done));
        }
        List<JsonNode> expected = lines(whole.resolve("trials.jsonl"));
        int promoted = expected.get(2).get("trial").asInt();
        deleteTree(staging.resolve("trials/" + String.format(Locale.ROOT, "trial-%02d-rung-1", promoted)));

        List<String> resumed = new ArrayList<>(sets);
        resumed.add("--resume");
        CommandResult again = CommandResult.execute(args("tune", CONFIG, dir.resolve("cut"), resumed));
        assertEquals(0, again.code(), again.err());
        assertTrue(again.err().contains("2 finished before the tune was resumed"), again.err());
        List<JsonNode> trials = lines(dir.resolve("cut/trials.jsonl"));
        assertEquals(3, trials.size());
        for (int i = 0; i < 2; i++) {
            assertEquals(expected.get(i).get("validation_accuracy"), trials.get(i).get("validation_accuracy"),
                    "rung 0 is read back, not trained again");
            assertEquals(expected.get(i).get("wall_seconds"), trials.get(i).get("wall_seconds"));
        }
        assertEquals(promoted, trials.get(2).get("trial").asInt(), "the same trial is promoted and trained");
        assertTrue(Files.exists(dir.resolve("cut/best.conf")));

        List<String> changed = new ArrayList<>(resumed);
        changed.addAll(List.of("--set", "tune.eta=3"));
        copyTree(whole, dir.resolve(".other.staging"));
        CommandResult refused = CommandResult.execute(args("tune", CONFIG, dir.resolve("other"), changed));
        assertEquals(ExitCode.BAD_CONFIG.code(), refused.code(), refused.err());
        assertTrue(refused.err().contains("the config differs from the interrupted tune's"), refused.err());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (var paths = Files.walk(from)) {
            for (Path p : paths.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void hyperbandRunsEveryBracketAndTheBestLastRungWins() throws IOException {
        FashionMnist.require();
        Path out = dir.resolve("hyperband");
        List<String> sets = new ArrayList<>(SLICE);
        sets.addAll(List.of("--set", "train.budget.epochs=1", "--set", "tune.method=hyperband", "--set", "tune.eta=2",
                "--set", "tune.trials=null", "--set", "tune.budget=5",
                "--set", "tune.space=[{ key = train.optimizer.learning-rate, values = [0.0005, 0.001, 0.004] }]"));
        CommandResult tune = CommandResult.execute(args("tune", CONFIG, out, sets));
        assertEquals(0, tune.code(), tune.err());
        // eta 2 within 5 full trainings: brackets [2 x 1/2, 1 x 1] and [2 x 1] (4 full trainings).
        List<JsonNode> trials = lines(out.resolve("trials.jsonl"));
        assertEquals(List.of(0, 0, 0, 1, 1), trials.stream().map(t -> t.get("bracket").asInt()).toList());
        assertEquals(List.of(0, 0, 1, 0, 0), trials.stream().map(t -> t.get("rung").asInt()).toList());
        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        assertEquals("hyperband", summary.get("method").asText());
        assertEquals(2, summary.get("brackets").size());
        assertEquals(4.0, summary.get("cost").get("planned_full_trainings").asDouble(), 1e-9);
        JsonNode best = trials.stream().filter(t -> t.get("fraction").asDouble() == 1.0)
                .min(Comparator.<JsonNode>comparingDouble(t -> -t.get("validation_accuracy").asDouble())
                        .thenComparingDouble(t -> t.get("validation_loss").asDouble())).orElseThrow();
        assertEquals(best.get("trial").asInt(), summary.get("best").get("trial").asInt(),
                "the best trial on the full budget, whichever bracket it ran in");
    }

    @Test
    void fashionMnistSliceTwoTrialsTwoRungsAndRunReproducesTheWinnerAndAnyTrial() throws IOException {
        FashionMnist.require();
        Path out = dir.resolve("tune");
        List<String> sets = new ArrayList<>(SLICE);
        sets.addAll(List.of("--set", "tune.trials=2", "--set", "tune.eta=2",
                "--set", "tune.space=[{ key = train.optimizer.learning-rate, values = [0.001, 0.004] }]"));
        CommandResult tune = CommandResult.execute(args("tune", CONFIG, out, sets));
        assertEquals(0, tune.code(), tune.err());
        List<String> stdout = tune.out().lines().toList();
        assertTrue(stdout.get(stdout.size() - 1).matches("validation_accuracy=0\\.\\d{4} test_accuracy=0\\.\\d{4} "
                + "best_conf=.*best.conf run_dir=.*tune"), tune.out());
        for (String file : List.of("config.conf", "trials.jsonl", "best.conf", "summary.json", "report.html",
                "_SUCCESS", "data/canonical/split=validation", "trials/trial-00-rung-0/metrics.jsonl")) {
            assertTrue(Files.exists(out.resolve(file)), file);
        }
        assertFalse(Files.exists(out.resolve("data/blocks")), "the trials' copies of the blocks are not kept");

        List<JsonNode> trials = lines(out.resolve("trials.jsonl"));
        assertEquals(3, trials.size(), "two trials on rung 0, the better one on rung 1");
        List<JsonNode> first = trials.subList(0, 2);
        for (JsonNode t : first) {
            assertEquals(0, t.get("rung").asInt());
            assertEquals(1.0, t.get("budget").get("epochs").asDouble(), 0, "half of 2 epochs");
            assertEquals("task", t.get("placement").asText(), "two trials on two slots: one Spark task each");
            assertFalse(t.get("loss_curve").isEmpty());
            assertFalse(t.has("test_accuracy"), "trials are judged without the test split");
        }
        JsonNode better = first.stream().max(Comparator.comparingDouble(t -> t.get("validation_accuracy")
                .asDouble())).orElseThrow();
        JsonNode worse = first.get(0) == better ? first.get(1) : first.get(0);
        assertTrue(better.get("validation_accuracy").asDouble() > worse.get("validation_accuracy").asDouble(),
                "the two learning rates end apart: " + first);
        assertTrue(better.get("promoted").asBoolean());
        assertFalse(worse.get("promoted").asBoolean());
        JsonNode last = trials.get(2);
        assertEquals(1, last.get("rung").asInt());
        assertEquals(better.get("trial").asInt(), last.get("trial").asInt(), "the promoted trial trains again");
        assertEquals(2.0, last.get("budget").get("epochs").asDouble(), 0);
        assertEquals(better.get("overrides"), last.get("overrides"));

        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        double best = summary.get("best").get("validation_accuracy").asDouble();
        assertEquals(last.get("validation_accuracy").asDouble(), best, 0);
        assertEquals(2.0, summary.get("cost").get("planned_full_trainings").asDouble(), 1e-12);
        assertTrue(Files.readString(out.resolve("report.html")).contains("trial-00-rung-0"), "trials' curves");
        assertTrue(Files.readString(out.resolve("best.conf")).contains("learning-rate=" + last.get("overrides")
                .get("train.optimizer.learning-rate").asText()), "best.conf holds the winning value");

        // best.conf is a complete config: run trains the winner again, to the same validation accuracy.
        Path rerun = dir.resolve("best-run");
        CommandResult run = CommandResult.execute("run", out.resolve("best.conf").toString(), "--run-dir",
                rerun.toString());
        assertEquals(0, run.code(), run.err());
        JsonNode again = Json.mapper().readTree(rerun.resolve("summary.json").toFile());
        assertEquals(best, again.get("validation_accuracy").asDouble(), 0);
        assertEquals(summary.get("best").get("test_accuracy").asDouble(), again.get("test_accuracy").asDouble(), 0);

        // A trial trained on one Spark task trains as run trains the same config on the workers.
        Path trialRun = dir.resolve("trial-run");
        run = CommandResult.execute("run", out.resolve(worse.get("config").asText()).toString(), "--run-dir",
                trialRun.toString());
        assertEquals(0, run.code(), run.err());
        assertEquals(worse.get("validation_accuracy").asDouble(), Json.mapper().readTree(trialRun
                .resolve("summary.json").toFile()).get("validation_accuracy").asDouble(), 0);
    }

    @Test
    void tabularCsvFourTrialsThreeRungsWithADivergingTrial() throws IOException {
        Path csv = dir.resolve("tabular.csv");
        writeTabular(csv, 900, 7);
        Path config = dir.resolve("tabular.conf");
        Files.writeString(config, """
                run.name = tabular
                spark.master = "local[2]"
                data { source = csv, csv.train = "%s", feature-encoding = float32, normalization = standardize,
                       class-names = null, split.test = 0.2 }
                model { type = mlp, mlp.hidden = [32] }
                train { batch-size = 32, steps-per-round = 8, optimizer { type = adam, learning-rate = 0.003, l2 = 0 }
                        schedule = linear-to-zero, budget { epochs = 4, wall-clock = null } }
                tune {
                  trials = 4
                  eta = 2
                  space = [
                    { key = train.optimizer.learning-rate, values = [0.003, 0.03, 1000] }
                    { key = train.batch-size, log-uniform = [16, 64], samples = 3 }
                  ]
                }
                """.formatted(csv));
        Path out = dir.resolve("tabular-tune");
        CommandResult tune = CommandResult.execute("tune", config.toString(), "--run-dir", out.toString());
        assertEquals(0, tune.code(), tune.err());

        List<JsonNode> trials = lines(out.resolve("trials.jsonl"));
        assertEquals(4 + 2 + 1, trials.size());
        double spent = 0;
        for (int rung = 0; rung < 3; rung++) {
            final int r = rung;
            List<JsonNode> here = trials.stream().filter(t -> t.get("rung").asInt() == r).toList();
            assertEquals(List.of(4, 2, 1).get(rung), here.size());
            List<Integer> promoted = here.stream().filter(t -> t.get("promoted").asBoolean())
                    .map(t -> t.get("trial").asInt()).sorted().toList();
            List<Integer> next = trials.stream().filter(t -> t.get("rung").asInt() == r + 1)
                    .map(t -> t.get("trial").asInt()).sorted().toList();
            assertEquals(next, promoted, "rung " + r + " promotes exactly the trials rung " + (r + 1) + " trains");
            double lowestPromoted = here.stream().filter(t -> t.get("promoted").asBoolean())
                    .mapToDouble(t -> t.get("validation_accuracy").asDouble()).min().orElse(1);
            for (JsonNode t : here) {
                if (!t.get("promoted").asBoolean() && !next.isEmpty()) {
                    assertTrue(t.get("validation_accuracy").asDouble() <= lowestPromoted, "the best are promoted");
                }
                spent += t.get("fraction").asDouble();
            }
        }
        assertTrue(spent <= 3 + 1e-9, "trained " + spent + " full trainings, budget 3");
        // A learning rate of 1000 blows the loss up: that trial is a result (ranked last), not a failed search.
        List<JsonNode> diverged = trials.stream().filter(t -> !t.get("diverged").isNull()).toList();
        assertFalse(diverged.isEmpty(), "the space's draw includes a learning rate of 1000: " + trials);
        for (JsonNode t : diverged) {
            assertEquals(1000, t.get("overrides").get("train.optimizer.learning-rate").asInt());
            assertTrue(t.get("validation_accuracy").isNull());
            assertFalse(t.get("promoted").asBoolean());
        }
        JsonNode summary = Json.mapper().readTree(out.resolve("summary.json").toFile());
        double accuracy = summary.get("best").get("validation_accuracy").asDouble();
        assertTrue(accuracy > 0.7, "three linearly separable classes with 10 % noise: " + accuracy);
        assertTrue(summary.get("best").get("test_accuracy").asDouble() > 0.7, summary.toString());
    }

    @Test
    void badTuneConfigsExitThreeNamingTheKeyAndWriteNothing() {
        Path out = dir.resolve("bad");
        String[][] cases = {
            {"tune.space=[{ key = train.optimizer.lerning-rate, values = [0.1] }]",
                "unknown key 'train.optimizer.lerning-rate'. Did you mean 'train.optimizer.learning-rate'?"},
            {"tune.space=[{ key = train.batch-size, values = [64, 0] }]",
                "tune.space[0]: the value 0 for train.batch-size is not valid"},
            {"tune.space=[{ key = train.schedule, values = [rex, sideways] }]",
                "'train.schedule' must be one of constant"},
            {"tune.trials=27", "tune.trials = 27 with tune.eta = 3"},
            {"train.budget.epochs=null", "a wall-clock limit alone"},
        };
        for (String[] c : cases) {
            List<String> sets = new ArrayList<>(SLICE);
            sets.addAll(List.of("--set", c[0], "--set",
                    "tune.space=" + (c[0].startsWith("tune.space") ? c[0].substring("tune.space=".length())
                            : "[{ key = train.warmup, log-uniform = [0.01, 0.1], samples = 9 }, "
                            + "{ key = train.schedule, values = [rex, cosine, linear-to-zero] }]")));
            CommandResult result = CommandResult.execute(args("tune", CONFIG, out, sets));
            assertEquals(ExitCode.BAD_CONFIG.code(), result.code(), c[0] + ": " + result.err());
            assertTrue(result.err().contains(c[1]), c[0] + ": " + result.err());
            assertFalse(Files.exists(out), "nothing is written for a bad config");
        }
        CommandResult skip = CommandResult.execute("tune", CONFIG.toString(), "--run-dir", out.toString(),
                "--skip-if-done");
        assertEquals(ExitCode.USAGE.code(), skip.code(), skip.err());
    }

    /**
     * Three classes in six features: the label is the largest of three fixed linear scores; a tenth of the labels
     * are random.
     */
    private static void writeTabular(Path csv, int rows, long seed) throws IOException {
        Random random = new Random(seed);
        double[][] weights = new double[3][6];
        for (double[] w : weights) {
            for (int j = 0; j < w.length; j++) {
                w[j] = random.nextGaussian();
            }
        }
        StringBuilder text = new StringBuilder("f0,f1,f2,f3,f4,f5,label\n");
        for (int i = 0; i < rows; i++) {
            double[] x = new double[6];
            for (int j = 0; j < 6; j++) {
                x[j] = random.nextGaussian() * 3 + 10;
                text.append(String.format(Locale.ROOT, "%.4f,", x[j]));
            }
            int label = 0;
            double bestScore = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < 3; k++) {
                double score = 0;
                for (int j = 0; j < 6; j++) {
                    score += weights[k][j] * (x[j] - 10);
                }
                if (score > bestScore) {
                    bestScore = score;
                    label = k;
                }
            }
            text.append(random.nextDouble() < 0.1 ? random.nextInt(3) : label).append('\n');
        }
        Files.writeString(csv, text.toString());
    }
}
