package io.efftrain.datasets.csv;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.source.LabelRange;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.CsvSettings;
import io.efftrain.pipeline.data.FeatureEncoding;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.testing.LocalSpark;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CSV file parsed by several tasks, each a byte range, yields exactly the rows, order and line numbers of one
 * task reading it whole: ranges that start mid-line, on a line start, on a blank line or at a CRLF.
 */
class CsvRangesTest {
    @TempDir
    Path dir;

    private CsvSettings settings(Path csv) {
        return ConfigLoader.load(null, List.of("data.source=csv", "data.csv.train=\"" + csv.toUri() + "\""))
                .data().csv();
    }

    private Path write(String badLine, int badAt) throws Exception {
        Random random = new Random(3);
        StringBuilder text = new StringBuilder("\uFEFFlabel,a,b,c\r\n");
        for (int i = 0; i < 700; i++) {
            if (i == badAt) {
                text.append(badLine).append('\n');
            }
            text.append(random.nextInt(10)).append(',').append(random.nextInt(256)).append(',')
                    .append(random.nextInt(100_000) % 256).append(',').append(i % 256)
                    .append(i % 3 == 0 ? "\r\n" : "\n");
            if (i % 50 == 7) {
                text.append("\n");
            }
        }
        Path csv = dir.resolve("t" + badAt + ".csv");
        Files.writeString(csv, text.toString());
        return csv;
    }

    private List<String> rows(Path csv, long minRange) {
        return CsvSource.read(LocalSpark.session(), settings(csv), Optional.empty(), FeatureEncoding.UINT8,
                LabelRange.UNBOUNDED, minRange).rows().collectAsList().stream().map(CsvRangesTest::describe).toList();
    }

    private static String describe(Row row) {
        return row.getAs(CanonicalLayout.SOURCE_ORDER) + ":" + row.getAs(CanonicalLayout.LABEL) + ":"
                + Arrays.toString((byte[]) row.getAs(CanonicalLayout.FEATURES));
    }

    @Test
    void rangesYieldEveryRowOnceInFileOrder() throws Exception {
        Path csv = write("", -1);
        List<String> whole = rows(csv, Long.MAX_VALUE);
        assertEquals(700, whole.size());
        for (long minRange : new long[] {37, 100, 1000, 4096}) {
            assertEquals(whole, rows(csv, minRange), "ranges of at least " + minRange + " bytes");
        }
    }

    @Test
    void anErrorInALaterRangeNamesItsLineNumber() throws Exception {
        Path csv = write("4,1,x,3", 600);
        // Line 1 is the header; 600 rows and the blank lines after rows 7, 57, ..., 557 (12 of them) come first.
        Exception failure = assertThrows(Exception.class, () -> rows(csv, 200));
        EfftrainException error = io.efftrain.datasets.source.ReadFailures.asBadInput(failure).orElseThrow();
        assertTrue(error.getMessage().contains(csv.getFileName().toString()), error.getMessage());
        assertTrue(error.getMessage().contains("line 614, column 'b': 'x' is not a number"), error.getMessage());
    }
}
