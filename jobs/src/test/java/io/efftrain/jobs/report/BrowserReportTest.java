package io.efftrain.jobs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html in a real browser (Debian's headless Chromium): every inlined plot decodes, which a string check
 * of the HTML cannot show, and the page renders to a screenshot. Chromium missing is a failure, not a skip: a
 * skipped test would let a broken page pass on a machine that was never set up.
 */
class BrowserReportTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Pattern IMG = Pattern.compile("<img\\b[^>]*>");
    private static final Pattern WIDTH = Pattern.compile("data-natural-width=\"(\\d+)\"");

    @TempDir
    Path tmp;

    @Test
    void everyPlotDecodesInChromiumAndThePageRenders() throws Exception {
        if (!Files.isExecutable(CHROMIUM)) {
            fail(CHROMIUM + " is missing: run bin/setup, which installs Debian's chromium package for this test.");
        }
        Path run = FakeRun.create(tmp.resolve("fashion-mnist-browser"), 0);
        assertTrue(RunReport.write(run));
        String url = run.resolve(RunReport.FILE).toUri().toString();

        // The images' onload handlers write their natural width into the DOM; virtual time lets them run first.
        String dom = chromium("--virtual-time-budget=5000", "--dump-dom", url);
        List<Integer> widths = new ArrayList<>();
        Matcher img = IMG.matcher(dom);
        while (img.find()) {
            Matcher width = WIDTH.matcher(img.group());
            if (!width.find()) {
                fail("an image reported neither load nor error: " + img.group().substring(0, 80));
            }
            widths.add(Integer.parseInt(width.group(1)));
        }
        assertEquals(6, widths.size(), "plots in the rendered page");
        for (int w : widths) {
            assertEquals(ReportPlots.WIDTH, w, "an image's natural width in the browser (0: it did not decode)");
        }
        assertTrue(dom.contains("&lt;script&gt;alert"), "the config's markup is text in the browser's DOM too");

        Path screenshot = tmp.resolve("screenshot.png");
        chromium("--screenshot=" + screenshot, "--window-size=1200,2400", "--hide-scrollbars", url);
        RunReportTest.assertNotBlankPage(Files.readAllBytes(screenshot));
    }

    private String chromium(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless", "--no-sandbox",
                "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + Files.createTempDirectory(tmp, "chromium-profile")));
        command.addAll(List.of(args));
        Path stdout = Files.createTempFile(tmp, "chromium", ".out");
        Path stderr = Files.createTempFile(tmp, "chromium", ".err");
        Process process = new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile())
                .start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            fail("chromium did not finish in 120 s: " + command);
        }
        String err = Files.readString(stderr, StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), "chromium failed: " + err);
        return Files.readString(stdout, StandardCharsets.UTF_8);
    }
}
