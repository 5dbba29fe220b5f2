package io.efftrain.sampling.scores;

import io.efftrain.pipeline.data.Columns;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.data.FeatureDecoder;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * One partition's examples with their ids: the block feeds models (training, scoring), the ids key what comes
 * out. Built once on the executors and cached, so every proxy epoch and every scoring pass sees the same
 * examples in the same order without reading the table again.
 *
 * @param ids example ids, in block order
 * @param block the examples
 */
public record KeyedBlock(String[] ids, ExampleBlock block) implements Serializable {
    /** Blocks of {@code table}'s rows ({@code id}, {@code label}, {@code features}), one per partition. */
    public static JavaRDD<KeyedBlock> of(Dataset<Row> table, int partitions, FeatureDecoder decoder) {
        return table.select(Columns.ID, Columns.LABEL, Columns.FEATURES)
                .repartition(partitions)
                .javaRDD()
                .mapPartitions(rows -> build(rows, decoder));
    }

    private static Iterator<KeyedBlock> build(Iterator<Row> rows, FeatureDecoder decoder) {
        List<String> ids = new ArrayList<>();
        ExampleBlock.Builder block = new ExampleBlock.Builder(decoder);
        while (rows.hasNext()) {
            Row row = rows.next();
            ids.add(row.getString(0));
            block.add(row.getInt(1), row.getAs(2));
        }
        return ids.isEmpty() ? Collections.emptyIterator()
                : List.of(new KeyedBlock(ids.toArray(String[]::new), block.build())).iterator();
    }
}
