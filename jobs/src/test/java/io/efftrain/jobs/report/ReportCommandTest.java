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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code efftrain report} through the command line's entry point: output line and exit codes. */
class ReportCommandTest {
    @TempDir
    Path tmp;

    @Test
    void reportOverlaysRunsIntoOutAndRefusesAForeignFile() throws IOException {
        Path a = FakeRun.create(tmp.resolve("a"), 0);
        Path b = FakeRun.create(tmp.resolve("b"), 0.02);
        Path out = tmp.resolve("both.html");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();

        int code = Main.execute(new String[] {"report", a.toString(), b.toString(), "--out", out.toString()},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true,
                        StandardCharsets.UTF_8));

        assertEquals(0, code, stderr.toString(StandardCharsets.UTF_8));
        assertEquals("report=" + out, stdout.toString(StandardCharsets.UTF_8).strip());
        assertTrue(RunReport.isReport(out));

        Path foreign = Files.writeString(tmp.resolve("foreign.html"), "<p>keep me</p>");
        assertEquals(6, Main.execute(new String[] {"report", a.toString(), "--out", foreign.toString()},
                new PrintStream(stdout), new PrintStream(stderr)));
        assertEquals("<p>keep me</p>", Files.readString(foreign));
        assertEquals(2, Main.execute(new String[] {"report"}, new PrintStream(stdout), new PrintStream(stderr)));
    }
}
