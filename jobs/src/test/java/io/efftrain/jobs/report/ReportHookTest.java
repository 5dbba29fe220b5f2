package io.efftrain.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.jobs.Main;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code run} and {@code incubate} commit report.html with the run: real jobs on a slice of Fashion-MNIST. */
class ReportHookTest {
    @TempDir
    Path tmp;

    @Test
    void aCommittedRunHasItsReport() throws IOException {
        Path runDir = tmp.resolve("slice");
        execute("run", runDir, "--set", "data.train-limit=1000", "--set", "data.test-limit=300",
                "--set", "train.budget.epochs=1", "--set", "train.evaluation.every-epochs=0.5",
                "--set", "model.lenet.conv1-channels=8", "--set", "model.lenet.conv2-channels=16",
                "--set", "model.lenet.dense-units=64");

        String html = Files.readString(runDir.resolve("report.html"));
        assertTrue(html.contains("efftrain run slice"));
        assertEquals(6, count(html, "<img src=\"data:image/png;base64,"), "every plot of a complete run");
        assertTrue(Files.exists(runDir.resolve("accuracy-vs-seconds.png")));
        assertTrue(Files.exists(runDir.resolve("_SUCCESS")));
    }

    @Test
    void anIncubatedRunHasItsReport() throws IOException {
        Path runDir = tmp.resolve("incubated");
        execute("incubate", runDir, "--set", "data.train-limit=1000", "--set", "data.test-limit=200",
                "--set", "model.resnet.stem-channels=8", "--set", "model.resnet.stage-channels=[8, 16, 16]",
                "--set", "model.resnet.blocks-per-stage=1", "--set", "train.batch-size=32",
                "--set", "train.steps-per-round=2", "--set", "train.evaluation.every-epochs=0.5",
                "--set", "incubation.meta.budget={steps = 4, wall-clock = null}",
                "--set", "incubation.modules.budget={steps = 4, wall-clock = null}",
                "--set", "incubation.fine-tune.budget={steps = 4, wall-clock = null}");

        String html = Files.readString(runDir.resolve("report.html"));
        assertTrue(html.contains("efftrain run incubated"));
        assertTrue(html.contains("<td>fine-tuning: steps 4</td>"), "the budget metrics.jsonl's rounds used");
        assertTrue(count(html, "<img src=\"data:image/png;base64,") >= 4, "the fine-tuning's plots at least");
    }

    private static void execute(String command, Path runDir, String... sets) {
        List<String> args = new ArrayList<>(List.of(command, "../conf/fashion-mnist.conf", "--run-dir",
                runDir.toString(), "--set", "spark.master=\"local[2]\""));
        if (command.equals("incubate")) {
            args.set(1, "../conf/fashion-mnist-incubation.conf");
        }
        args.addAll(List.of(sets));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.execute(args.toArray(String[]::new), new PrintStream(new ByteArrayOutputStream()),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(0, code, err.toString(StandardCharsets.UTF_8));
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }
}
