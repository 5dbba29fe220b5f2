package io.efftrain.jobs.ml;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.testing.LocalSpark;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * Fashion-MNIST slices as the DataFrames a data engineer would have: a label (double, as MLlib readers produce it)
 * and the 784 pixel values (0..255) either as an ML Vector or as an array&lt;float&gt;.
 */
final class FashionFrames {
    private FashionFrames() {
    }

    static SparkSession spark() {
        return LocalSpark.session();
    }

    /** The first {@code n} examples of a split with a Vector column {@code pixels}. */
    static Dataset<Row> vectors(boolean train, int n) {
        ExampleBlock block = FashionMnist.block(train, n);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create((double) block.label(i), Vectors.dense(doubles(block.encodedFeatures(i)))));
        }
        StructType schema = new StructType().add("label", DataTypes.DoubleType, false)
                .add("pixels", SQLDataTypes.VectorType(), false);
        return spark().createDataFrame(rows, schema).repartition(2);
    }

    /** The first {@code n} examples of a split with an array&lt;float&gt; column {@code image}. */
    static Dataset<Row> arrays(boolean train, int n) {
        ExampleBlock block = FashionMnist.block(train, n);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            byte[] pixels = block.encodedFeatures(i);
            Float[] image = new Float[pixels.length];
            for (int j = 0; j < pixels.length; j++) {
                image[j] = (float) (pixels[j] & 0xFF);
            }
            rows.add(RowFactory.create(block.label(i), image));
        }
        StructType schema = new StructType().add("label", DataTypes.IntegerType, false)
                .add("image", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        return spark().createDataFrame(rows, schema).repartition(2);
    }

    private static double[] doubles(byte[] pixels) {
        double[] out = new double[pixels.length];
        for (int j = 0; j < pixels.length; j++) {
            out[j] = pixels[j] & 0xFF;
        }
        return out;
    }
}
