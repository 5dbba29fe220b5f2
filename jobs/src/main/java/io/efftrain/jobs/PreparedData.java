package io.efftrain.jobs;

import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.trainers.model.InputShape;
import java.util.Map;

/**
 * What the prepare stage produced.
 *
 * @param tablePath the canonical Parquet table (partitioned by split)
 * @param manifest the table's manifest
 */
public record PreparedData(String tablePath, TableManifest manifest) {
    /** The shape of one example, as the trainer sees it. */
    public InputShape shape() {
        int[] s = manifest.shape();
        return new InputShape(s[0], s[1], s[2]);
    }

    public int classCount() {
        return manifest.classNames().size();
    }

    public Map<String, Long> countsBySplit() {
        return manifest.countsBySplit();
    }
}
