package io.efftrain.datasets.feed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.testing.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

/** Blocks for a curriculum hold every example once, each block in rank order, easy and hard spread over blocks. */
class OrderedBlocksTest {

    @Test
    void everyBlockIsInRankOrder() {
        SparkSession spark = LocalSpark.session();
        StructType schema = new StructType().add("id", DataTypes.StringType).add("label", DataTypes.IntegerType)
                .add("features", DataTypes.BinaryType).add("hardness", DataTypes.DoubleType);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            // The single pixel is the rank, so a block's order can be read back from its features.
            int rank = (i * 37) % 200;
            rows.add(RowFactory.create("id" + i, i % 10, new byte[] {(byte) rank}, rank / 10.0));
        }
        Dataset<Row> table = spark.createDataFrame(rows, schema);
        for (boolean ascending : new boolean[] {true, false}) {
            List<ExampleBlock> blocks = ExampleBlocks.ordered(table, functions.col("hardness"), ascending, 3,
                    FeatureDecoder.pixelsToUnitRange(1)).collect();
            assertEquals(3, blocks.size());
            int total = 0;
            for (ExampleBlock block : blocks) {
                total += block.size();
                assertTrue(block.size() > 40, "rows are spread over the blocks: " + block.size());
                int previous = ascending ? -1 : 256;
                for (int i = 0; i < block.size(); i++) {
                    int rank = Byte.toUnsignedInt(block.encodedFeatures(i)[0]);
                    assertTrue(ascending ? rank > previous : rank < previous, "in order: " + rank + " after " + previous);
                    previous = rank;
                }
            }
            assertEquals(200, total);
        }
    }
}
