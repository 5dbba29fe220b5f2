package io.efftrain.datasets.preprocess;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.when;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.pipeline.stage.Schemas;
import io.efftrain.pipeline.stage.TableTransformer;
import java.util.List;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Keeps the examples of some classes and relabels them 0..k-1 in the order given, so a network has exactly k
 * outputs (a 2-class problem cut from a 10-class data set, for instance).
 */
public final class ClassFilter implements TableTransformer {
    private static final long serialVersionUID = 1L;
    private final List<Integer> keep;

    /** @param keep the original labels to keep; position i becomes label i */
    public ClassFilter(List<Integer> keep) {
        this.keep = List.copyOf(keep);
    }

    /** The class names after filtering. */
    public List<String> names(List<String> original) {
        return keep.stream().map(original::get).toList();
    }

    @Override
    public StructType transformSchema(StructType input) {
        Schemas.require(input, CanonicalLayout.LABEL, DataTypes.IntegerType, "class filter (data.classes)");
        return input;
    }

    @Override
    public Dataset<Row> transform(Dataset<Row> table) {
        transformSchema(table.schema());
        Column relabel = lit(null).cast(DataTypes.IntegerType);
        for (int i = keep.size() - 1; i >= 0; i--) {
            relabel = when(col(CanonicalLayout.LABEL).equalTo(keep.get(i)), lit(i)).otherwise(relabel);
        }
        return table.where(col(CanonicalLayout.LABEL).isin(keep.toArray()))
                .withColumn(CanonicalLayout.LABEL, relabel);
    }
}
