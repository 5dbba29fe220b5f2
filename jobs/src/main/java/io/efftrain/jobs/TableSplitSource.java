package io.efftrain.jobs;

import io.efftrain.datasets.feed.TableSplitBlock;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.trainers.incubation.ExampleSource;
import org.apache.hadoop.conf.Configuration;

/**
 * A canonical table's split, read where the task runs. The Hadoop configuration is the executor's default one
 * (Configuration is not serialisable), which reaches local paths and hdfs:// URIs with the cluster's own
 * core-site.xml.
 *
 * @param table the canonical table
 * @param split the split to read
 */
record TableSplitSource(String table, String split) implements ExampleSource {
    private static final long serialVersionUID = 1L;

    @Override
    public ExampleBlock load() {
        return TableSplitBlock.read(table, split, new Configuration());
    }
}
