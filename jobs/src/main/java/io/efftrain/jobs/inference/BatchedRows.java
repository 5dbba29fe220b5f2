package io.efftrain.jobs.inference;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.sql.Row;

/**
 * A partition's rows scored a batch at a time, lazily: one forward pass per batch amortises the call, and only
 * one batch of rows is held in memory however large the partition. Batch inference and the estimator's model
 * both score this way; each says how a batch becomes output rows.
 */
public final class BatchedRows {
    /** Turns one batch of input rows into its output rows, in order. */
    @FunctionalInterface
    public interface Scorer {
        /** @param firstPosition the batch's first row's position in the partition (for messages) */
        List<Row> score(List<Row> batch, long firstPosition);
    }

    private BatchedRows() {
    }

    /** {@code rows} in batches of {@code size}, each replaced by what {@code scorer} makes of it. */
    public static Iterator<Row> scored(Iterator<Row> rows, int size, Scorer scorer) {
        return new Iterator<>() {
            private final List<Row> ready = new ArrayList<>();
            private int next;
            private long position;

            @Override
            public boolean hasNext() {
                if (next < ready.size()) {
                    return true;
                }
                if (!rows.hasNext()) {
                    return false;
                }
                List<Row> batch = new ArrayList<>(size);
                while (batch.size() < size && rows.hasNext()) {
                    batch.add(rows.next());
                }
                ready.clear();
                next = 0;
                ready.addAll(scorer.score(batch, position));
                position += batch.size();
                return true;
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.get(next++);
            }
        };
    }
}
