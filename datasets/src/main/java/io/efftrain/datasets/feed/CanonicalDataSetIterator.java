package io.efftrain.datasets.feed;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.datasets.source.Listing;
import io.efftrain.pipeline.data.FeatureDecoder;
import io.efftrain.pipeline.error.EfftrainException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J {@link DataSetIterator} over one split of a canonical table, for training in a single JVM (a notebook,
 * a test, a benchmark) without Spark. A background thread reads the Parquet files, shuffles through a bounded
 * buffer, decodes and normalises the compact features (with the manifest's statistics) and assembles
 * minibatches into a bounded queue, so reading overlaps training and memory stays at
 * {@code shuffleBuffer} stored examples plus {@code prefetch} minibatches, whatever the table's size.
 *
 * <p>Each epoch ({@link #reset}) reads the files in a new order and shuffles with a new stream, both derived
 * from the seed and the epoch number: the same seed gives the same batches.
 */
public final class CanonicalDataSetIterator implements DataSetIterator, AutoCloseable {
    private static final long serialVersionUID = 1L;
    private static final Object END = new Object();

    private final List<String> files;
    private final FeatureDecoder decoder;
    private final int classes;
    private final int batchSize;
    private final int shuffleBuffer;
    private final int prefetch;
    private final long seed;
    private final List<String> labelNames;
    private transient Configuration hadoop;
    private transient BlockingQueue<Object> queue;
    private transient Thread producer;
    private transient Object head;
    private int epoch;
    private DataSetPreProcessor preProcessor;

    /**
     * @param table a committed canonical table
     * @param split the split to read ({@code train}, {@code validation}, {@code test})
     * @param batchSize examples per minibatch (the last one of an epoch may be smaller)
     * @param shuffleBuffer examples held for shuffling; 1 reads in file order
     * @param prefetch minibatches prepared ahead of the consumer
     */
    public CanonicalDataSetIterator(String table, String split, int batchSize, int shuffleBuffer, int prefetch,
                                    long seed, Configuration hadoop) {
        TableManifest manifest = TableManifest.read(table, hadoop);
        if (!manifest.countsBySplit().containsKey(split)) {
            throw EfftrainException.badInput(table + ": has no split '" + split + "' (it has "
                    + manifest.countsBySplit().keySet() + ").");
        }
        this.files = Listing.files(new Path(table, CanonicalLayout.SPLIT + "=" + split).toString(), hadoop,
                "the table").stream().filter(f -> f.endsWith(".parquet")).toList();
        this.decoder = manifest.decoder();
        this.classes = manifest.classNames().size();
        this.labelNames = List.copyOf(manifest.classNames());
        this.batchSize = batchSize;
        this.shuffleBuffer = Math.max(1, shuffleBuffer);
        this.prefetch = Math.max(1, prefetch);
        this.seed = seed;
        this.hadoop = hadoop;
        start();
    }

    private void start() {
        queue = new ArrayBlockingQueue<>(prefetch);
        head = null;
        int thisEpoch = epoch;
        producer = new Thread(() -> produce(thisEpoch), "efftrain-prefetch");
        producer.setDaemon(true);
        producer.start();
    }

    private void produce(int thisEpoch) {
        try {
            Random random = new Random(seed * 1_000_003L + thisEpoch);
            List<String> order = new ArrayList<>(files);
            Collections.shuffle(order, random);
            Batcher batcher = new Batcher();
            int bytes = decoder.bytesPerExample();
            byte[][] bufferFeatures = new byte[shuffleBuffer][];
            int[] bufferLabels = new int[shuffleBuffer];
            int held = 0;
            for (String file : order) {
                try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(), new Path(file))
                        .withConf(hadoop).build()) {
                    for (Group row; (row = reader.read()) != null; ) {
                        byte[] features = row.getBinary(CanonicalLayout.FEATURES, 0).getBytes();
                        if (features.length != bytes) {
                            throw EfftrainException.badInput(file + ": an example of " + features.length
                                    + " bytes, but the manifest says " + bytes + ".");
                        }
                        int label = row.getInteger(CanonicalLayout.LABEL, 0);
                        if (held < shuffleBuffer) {
                            bufferFeatures[held] = features;
                            bufferLabels[held++] = label;
                            continue;
                        }
                        int pick = random.nextInt(shuffleBuffer);
                        batcher.add(bufferFeatures[pick], bufferLabels[pick]);
                        bufferFeatures[pick] = features;
                        bufferLabels[pick] = label;
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + file, e);
                }
            }
            for (int i = held - 1; i >= 0; i--) {
                int pick = random.nextInt(i + 1);
                batcher.add(bufferFeatures[pick], bufferLabels[pick]);
                bufferFeatures[pick] = bufferFeatures[i];
                bufferLabels[pick] = bufferLabels[i];
            }
            batcher.flush();
            queue.put(END);
        } catch (InterruptedException stopped) {
            Thread.currentThread().interrupt();
        } catch (Throwable failure) {
            try {
                queue.put(failure);
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** Collects decoded examples into minibatches and hands them to the queue. */
    private final class Batcher {
        private final int size = decoder.featureSize();
        private float[] features = new float[batchSize * size];
        private float[] labels = new float[batchSize * classes];
        private int count;

        void add(byte[] encoded, int label) throws InterruptedException {
            decoder.decode(encoded, 0, features, count * size);
            labels[count * classes + label] = 1f;
            if (++count == batchSize) {
                flush();
            }
        }

        void flush() throws InterruptedException {
            if (count == 0) {
                return;
            }
            float[] f = count == batchSize ? features : java.util.Arrays.copyOf(features, count * size);
            float[] l = count == batchSize ? labels : java.util.Arrays.copyOf(labels, count * classes);
            queue.put(new DataSet(Nd4j.create(f, new long[] {count, size}, 'c'),
                    Nd4j.create(l, new long[] {count, classes}, 'c')));
            features = new float[batchSize * size];
            labels = new float[batchSize * classes];
            count = 0;
        }
    }

    @Override
    public boolean hasNext() {
        if (head == null) {
            try {
                head = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for the next minibatch", e);
            }
        }
        if (head instanceof Throwable failure) {
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException("reading the table failed", failure);
        }
        return head != END;
    }

    @Override
    public DataSet next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the epoch is over; call reset() for the next one");
        }
        DataSet out = (DataSet) head;
        head = null;
        if (preProcessor != null) {
            preProcessor.preProcess(out);
        }
        return out;
    }

    @Override
    public DataSet next(int num) {
        throw new UnsupportedOperationException("the batch size is fixed at construction (" + batchSize + ")");
    }

    /** Starts the next epoch: a new file order and shuffle. */
    @Override
    public void reset() {
        stop();
        epoch++;
        start();
    }

    /** The epoch being read, from 0. */
    public int epoch() {
        return epoch;
    }

    private void stop() {
        producer.interrupt();
        try {
            producer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public int inputColumns() {
        return decoder.featureSize();
    }

    @Override
    public int totalOutcomes() {
        return classes;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    /** Already asynchronous: DL4J must not wrap it in another prefetching iterator. */
    @Override
    public boolean asyncSupported() {
        return false;
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        this.preProcessor = preProcessor;
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return preProcessor;
    }

    @Override
    public List<String> getLabels() {
        return labelNames;
    }
}
