package io.efftrain.sampling.selection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.SelectionSettings;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.testing.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The selection policies on a score table whose answer is known: 100 examples, example i has EL2N i / 100
 * (so e099 is the hardest) and label i % 2... except the first 20, which are all label 0.
 */
class StaticSelectionTest {
    private static Dataset<Row> scores() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int label = i < 20 ? 0 : i % 2;
            rows.add(RowFactory.create(String.format("e%03d", i), label, i / 100.0, 1 - i / 100.0));
        }
        StructType schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.IntegerType)
                .add("el2n", DataTypes.DoubleType).add("margin", DataTypes.DoubleType);
        return LocalSpark.session().createDataFrame(rows, schema).repartition(3);
    }

    private static Set<Integer> kept(String... settings) {
        List<String> all = new ArrayList<>(List.of(settings));
        var config = ConfigLoader.load(null, all);
        Set<Integer> out = new TreeSet<>();
        for (Row r : new StaticSelection(config.sampling().selection(), config.run().seed()).transform(scores())
                .where("selected").collectAsList()) {
            out.add(Integer.parseInt(r.<String>getAs("id").substring(1)));
        }
        return out;
    }

    private static Set<Integer> range(int from, int to) {
        Set<Integer> out = new TreeSet<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    @Test
    void hardestEasiestModerateAndOffsetKeepTheRightBand() {
        assertEquals(range(70, 100), kept("sampling.selection.policy=hardest", "sampling.selection.keep-fraction=0.3"));
        assertEquals(range(0, 30), kept("sampling.selection.policy=easiest", "sampling.selection.keep-fraction=0.3"));
        assertEquals(range(35, 65), kept("sampling.selection.policy=moderate", "sampling.selection.keep-fraction=0.3"));
        assertEquals(range(60, 90), kept("sampling.selection.policy=offset", "sampling.selection.keep-fraction=0.3",
                "sampling.selection.offset=0.1"));
        assertEquals(range(75, 100), kept("sampling.selection.policy=hardest", "sampling.selection.keep-count=25"));
    }

    @Test
    void marginCountsLowAsHard() {
        // margin = 1 - i/100: the smallest margins are the largest i, the same hardest examples as EL2N.
        assertEquals(range(70, 100), kept("sampling.selection.policy=hardest", "sampling.selection.score=margin",
                "sampling.selection.keep-fraction=0.3"));
    }

    @Test
    void stratifiedKeepsTheSameShareOfEveryClass() {
        Set<Integer> kept = kept("sampling.selection.policy=stratified", "sampling.selection.keep-fraction=0.5");
        // Class 0: examples 0..19 and the even ones from 20 (60 examples); class 1: the 40 odd ones from 21.
        long zeros = kept.stream().filter(i -> i < 20 || i % 2 == 0).count();
        long ones = kept.size() - zeros;
        assertEquals(30, zeros);
        assertEquals(20, ones);
        assertEquals(true, kept.contains(98) && kept.contains(99), "the hardest of each class");
    }

    @Test
    void randomIsSeededAndIgnoresScores() {
        Set<Integer> a = kept("sampling.selection.policy=random", "sampling.selection.keep-fraction=0.5");
        assertEquals(50, a.size());
        assertEquals(a, kept("sampling.selection.policy=random", "sampling.selection.keep-fraction=0.5"));
        assertNotEquals(a, kept("sampling.selection.policy=random", "sampling.selection.keep-fraction=0.5",
                "run.seed=7"), "another seed, another subset");
        assertNotEquals(range(50, 100), a);
    }

    @Test
    void aMissingScoreColumnFailsBeforeAnyDataMoves() {
        SelectionSettings selection = ConfigLoader.load(null, List.of("sampling.selection.policy=hardest",
                "sampling.selection.score=grand", "sampling.selection.keep-fraction=0.5")).sampling().selection();
        EfftrainException e = assertThrows(EfftrainException.class,
                () -> new StaticSelection(selection, 1).transform(scores()));
        assertEquals(true, e.getMessage().contains("no column 'grand'"), e.getMessage());
    }
}
