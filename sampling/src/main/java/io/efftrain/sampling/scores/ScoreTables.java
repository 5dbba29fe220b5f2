package io.efftrain.sampling.scores;

import static org.apache.spark.sql.functions.avg;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.first;

import io.efftrain.pipeline.data.Columns;
import io.efftrain.pipeline.scoring.ExampleScorer;
import io.efftrain.pipeline.scoring.ExampleScores;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Score tables built on the executors: each block is scored where it is cached and turned into rows keyed by
 * id, so the examples never travel and the driver only plans the job.
 */
public final class ScoreTables {
    private ScoreTables() {
    }

    /** One proxy's scores for every example, with the forgetting counts tracked during its training. */
    public static Dataset<Row> score(SparkSession spark, ForgettingTracker tracker, Broadcast<ExampleScorer> scorer) {
        JavaRDD<Row> rows = tracker.blocks().zipPartitions(tracker.counts(),
                (Iterator<KeyedBlock> b, Iterator<double[]> f) -> {
                    List<Row> out = new ArrayList<>();
                    if (!b.hasNext()) {
                        return out.iterator();
                    }
                    KeyedBlock block = b.next();
                    double[] forgetting = f.next();
                    ExampleScores s = scorer.value().score(block.block());
                    for (int i = 0; i < s.size(); i++) {
                        out.add(RowFactory.create(block.ids()[i], block.block().label(i), s.loss()[i], s.el2n()[i],
                                s.grand()[i], s.margin()[i], s.correct()[i], forgetting[i]));
                    }
                    return out.iterator();
                });
        return spark.createDataFrame(rows, ScoreColumns.ONE_PROXY);
    }

    /** The mean of several proxies' scores per example (correct: the share of proxies that were right). */
    public static Dataset<Row> average(List<Dataset<Row>> proxies) {
        Dataset<Row> all = proxies.get(0);
        for (int i = 1; i < proxies.size(); i++) {
            all = all.unionByName(proxies.get(i));
        }
        return all.groupBy(Columns.ID).agg(first(Columns.LABEL).as(Columns.LABEL),
                avg(ScoreColumns.LOSS).as(ScoreColumns.LOSS), avg(ScoreColumns.EL2N).as(ScoreColumns.EL2N),
                avg(ScoreColumns.GRAND).as(ScoreColumns.GRAND), avg(ScoreColumns.MARGIN).as(ScoreColumns.MARGIN),
                avg(col(ScoreColumns.CORRECT).cast("double")).as(ScoreColumns.CORRECT),
                avg(ScoreColumns.FORGETTING).as(ScoreColumns.FORGETTING));
    }
}
