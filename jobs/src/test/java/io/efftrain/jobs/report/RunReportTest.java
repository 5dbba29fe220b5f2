package io.efftrain.jobs.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {
    private static final Pattern DATA_URI = Pattern.compile("<img src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"");

    @TempDir
    Path tmp;

    @Test
    void aRunDirectoryGetsOnePageWithEveryPlotInlinedAndItsConfigEscaped() throws IOException {
        Path run = FakeRun.create(tmp.resolve("fashion-mnist-20261207"), 0);

        assertTrue(RunReport.write(run));

        String html = Files.readString(run.resolve("report.html"));
        List<Path> pngs;
        try (Stream<Path> files = Files.list(run)) {
            pngs = files.filter(f -> f.toString().endsWith(".png")).sorted().toList();
        }
        // Accuracy against seconds and epochs, loss, learning rate, samples/s, budget used.
        assertEquals(6, pngs.size(), pngs.toString());
        List<byte[]> inlined = inlinedImages(html);
        assertEquals(pngs.size(), inlined.size());
        for (Path png : pngs) {
            byte[] bytes = Files.readAllBytes(png);
            assertTrue(inlined.stream().anyMatch(i -> java.util.Arrays.equals(i, bytes)), png + " is not inlined");
            assertNotBlank(png.getFileName().toString(), bytes);
        }

        String escaped = "# &lt;script&gt;alert(&quot;efftrain&quot;)&lt;/script&gt; &amp; friends";
        assertTrue(html.contains("<pre>"), "the config is preformatted");
        assertTrue(html.contains(escaped), "the config comment, escaped");
        assertFalse(html.contains("<script>"), "no markup from the config reaches the page");
        assertTrue(html.contains("wall-clock=&quot;8m&quot;"));

        // The figures a reader looks for first.
        assertTrue(html.contains("0.7110"), "test accuracy");
        assertTrue(html.contains("epochs 2"), "the budget");
        assertTrue(html.contains("102.4 %"), "the budget used");
        assertTrue(html.contains("<th>examples prepared: train</th><td>3,043</td>"), "before deduplication");
        assertTrue(html.contains("<th>examples trained on: train</th><td>3,000</td>"), "after it");
        assertTrue(html.contains("<th>examples trained on: test</th><td>1,000</td>"));
        assertTrue(html.contains("<th>dedup: removed exact</th><td>12</td>"), "deduplication counts");
        assertTrue(html.contains("<th>dedup: removed near</th><td>31</td>"));
        assertTrue(html.contains("InfoBatch (prune ratio 0.5)"), "the techniques switched on");
        assertTrue(html.contains("local[*]") && html.contains("AMD EPYC") && html.contains("3.5.7"), "environment");
        assertTrue(RunReport.isReport(run.resolve("report.html")));
    }

    @Test
    void severalRunsShareEachPlotOneLinePerRun() throws IOException {
        Path a = FakeRun.create(tmp.resolve("runs/baseline"), 0);
        Path b = FakeRun.create(tmp.resolve("runs/infobatch"), 0.05);
        Path out = tmp.resolve("out/compare.html");

        assertEquals(out, RunReport.command(List.of(a.toString(), b.toString(), "--out", out.toString())));

        String html = Files.readString(out);
        assertTrue(html.contains("2 runs compared"));
        assertTrue(html.contains(">baseline<") && html.contains(">infobatch<"), "runs labelled by directory name");
        assertEquals(6, inlinedImages(html).size());
        for (byte[] png : inlinedImages(html)) {
            assertNotBlank("an overlay plot", png);
        }
        // Plots go into the page only: a comparison writes nothing into the runs it reads.
        assertFalse(Files.exists(a.resolve("report.html")));
        // Its own earlier output is replaced.
        assertEquals(out, RunReport.compare(List.of(a), out));
        assertTrue(Files.readString(out).contains("efftrain run baseline"));
    }

    @Test
    void aFileThatIsNotAReportIsNeverOverwritten() throws IOException {
        Path run = FakeRun.create(tmp.resolve("r1"), 0);
        Path notes = Files.writeString(tmp.resolve("notes.html"), "<html>my notes</html>");

        EfftrainException refused = assertThrows(EfftrainException.class,
                () -> RunReport.command(List.of(run.toString(), "--out", notes.toString())));

        assertEquals(ExitCode.ALREADY_DONE, refused.exitCode());
        assertEquals("<html>my notes</html>", Files.readString(notes));
    }

    @Test
    void usageErrorsAndMissingRunsSayWhatIsWrong() {
        assertEquals(ExitCode.USAGE, assertThrows(EfftrainException.class,
                () -> RunReport.command(List.of())).exitCode());
        assertEquals(ExitCode.USAGE, assertThrows(EfftrainException.class,
                () -> RunReport.command(List.of(tmp.toString(), "--colour", "red"))).exitCode());
        assertEquals(ExitCode.BAD_INPUT, assertThrows(EfftrainException.class,
                () -> RunReport.command(List.of(tmp.resolve("nothing").toString(), "--out",
                        tmp.resolve("x.html").toString()))).exitCode());
    }

    @Test
    void aReportThatCannotBeDrawnDoesNotFailTheCaller() throws IOException {
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertFalse(RunReport.write(empty));
        assertFalse(Files.exists(empty.resolve("report.html")));
    }

    @Test
    void aRunWithoutEvaluationsOrMetricsGetsThePlotsItCanHave() throws IOException {
        Path run = FakeRun.create(tmp.resolve("partial"), 0);
        Files.delete(run.resolve("metrics.jsonl"));
        Files.delete(run.resolve("manifest.json"));

        assertTrue(RunReport.write(run));

        String html = Files.readString(run.resolve("report.html"));
        assertEquals(2, inlinedImages(html).size(), "only the accuracy curves");
        assertTrue(html.contains("0.7110"));
    }

    @Test
    void theRunsOwnTablesAreFoundAfterTheStagingDirectoryWasRenamed() throws IOException {
        Path run = FakeRun.create(tmp.resolve("committed"), 0);
        Path manifest = run.resolve("manifest.json");
        // What a run records: its tables under the staging directory that the commit renamed.
        Files.writeString(manifest, Files.readString(manifest).replace(run.resolve("data/canonical").toUri().toString(),
                tmp.resolve(".committed.staging/data/canonical").toUri().toString()));

        assertTrue(RunReport.write(run));

        assertTrue(Files.readString(run.resolve("report.html"))
                .contains("<th>examples prepared: train</th><td>3,043</td>"));
    }

    @Test
    void eachStepsLossIsSpreadOverItsRoundsEpochs() throws IOException {
        Path run = FakeRun.create(tmp.resolve("steps"), 0);
        Files.writeString(run.resolve("metrics.jsonl"), """
                {"round":1,"epoch":1.0,"loss":1.5,"step_losses":[2.0,1.5,1.0,0.5]}
                {"round":2,"epoch":1.5,"loss":0.45}
                {"round":3,"epoch":2.0,"loss":0.4,"step_losses":[0.45,0.35]}
                """);

        double[][] xy = ReportPlots.lossAgainstEpochs(ReportedRun.read(run));

        assertArrayEquals(new double[] {0.25, 0.5, 0.75, 1.0, 1.5, 1.75, 2.0}, xy[0], 1e-12);
        assertArrayEquals(new double[] {2.0, 1.5, 1.0, 0.5, 0.45, 0.45, 0.35}, xy[1], 1e-12);
    }

    @Test
    void theStagingDirectoryIsLabelledWithTheRunsName() {
        assertEquals("fm-1", ReportedRun.label(Path.of("/runs/.fm-1.staging")));
        assertEquals("fm-1", ReportedRun.label(Path.of("runs/fm-1")));
    }

    private static List<byte[]> inlinedImages(String html) {
        List<byte[]> images = new ArrayList<>();
        Matcher m = DATA_URI.matcher(html);
        while (m.find()) {
            images.add(Base64.getDecoder().decode(m.group(1)));
        }
        return images;
    }

    /** A plot that drew nothing is a white rectangle: one colour everywhere. */
    static void assertNotBlank(String what, byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, what + " does not decode as an image");
        assertEquals(ReportPlots.WIDTH, image.getWidth(), what);
        assertEquals(ReportPlots.HEIGHT, image.getHeight(), what);
        assertVaried(what, image);
    }

    /** A screenshot of a page that rendered nothing is one colour too. */
    static void assertNotBlankPage(byte[] png) throws IOException {
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(image, "the screenshot does not decode as an image");
        assertVaried("the screenshot", image);
    }

    private static void assertVaried(String what, BufferedImage image) {
        int first = image.getRGB(0, 0);
        long different = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if (image.getRGB(x, y) != first) {
                    different++;
                }
            }
        }
        assertTrue(different > 1000, what + " is nearly blank: " + different + " pixels differ");
    }
}
