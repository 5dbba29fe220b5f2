package io.efftrain.datasets.feed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.testing.LocalSpark;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/**
 * The same examples make the same training blocks however the table's files split and order them: a pruned or
 * rewritten table trains like the original did.
 */
class BlocksIgnoreFileLayoutTest {
    private static final int EXAMPLES = 300;
    private static final FeatureDecoder DECODER = FeatureDecoder.pixelsToUnitRange(2);

    @Test
    void plainBlocksDependOnTheRowsOnly() {
        List<List<ExampleBlock>> layouts = new ArrayList<>();
        for (Dataset<Row> table : layouts()) {
            layouts.add(ExampleBlocks.of(table, 2, DECODER).collect());
        }
        assertSameBlocks(layouts.get(0), layouts.get(1));
        // Both blocks hold a fair share: a hash spreads the ids.
        for (ExampleBlock block : layouts.get(0)) {
            assertTrue(block.size() > EXAMPLES / 3, "block of " + block.size());
        }
    }

    @Test
    void curriculumBlocksDependOnTheRowsOnly() {
        List<List<ExampleBlock>> layouts = new ArrayList<>();
        for (Dataset<Row> table : layouts()) {
            layouts.add(ExampleBlocks.ordered(table, functions.col("hardness"), true, 2, DECODER).collect());
        }
        assertSameBlocks(layouts.get(0), layouts.get(1));
    }

    /** One table as one file in id order, and as four files in a shuffled order. */
    private static List<Dataset<Row>> layouts() {
        SparkSession spark = LocalSpark.session();
        StructType schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.IntegerType)
                .add("features", DataTypes.BinaryType).add("hardness", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < EXAMPLES; i++) {
            // Features name the example, so a block's content can be compared value by value.
            rows.add(RowFactory.create("train-" + i, i % 10, new byte[] {(byte) (i / 256), (byte) i}, (i * 7) % 13 / 13.0));
        }
        List<Row> shuffled = new ArrayList<>(rows);
        Collections.shuffle(shuffled, new Random(3));
        return List.of(spark.createDataFrame(rows, schema).coalesce(1),
                spark.createDataFrame(shuffled, schema).repartition(4));
    }

    private static void assertSameBlocks(List<ExampleBlock> expected, List<ExampleBlock> actual) {
        assertEquals(expected.size(), actual.size());
        int total = 0;
        for (int b = 0; b < expected.size(); b++) {
            assertEquals(expected.get(b).size(), actual.get(b).size(), "size of block " + b);
            for (int i = 0; i < expected.get(b).size(); i++) {
                assertEquals(expected.get(b).label(i), actual.get(b).label(i));
                assertArrayEquals(expected.get(b).encodedFeatures(i), actual.get(b).encodedFeatures(i),
                        "example " + i + " of block " + b);
            }
            total += expected.get(b).size();
        }
        assertEquals(EXAMPLES, total);
    }
}
