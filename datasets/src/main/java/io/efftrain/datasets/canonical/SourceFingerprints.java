package io.efftrain.datasets.canonical;

import io.efftrain.datasets.HadoopFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.util.AbstractMap;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * Size and SHA-256 of each source file, computed on the executors, for the run manifest: a later run can tell
 * whether it saw the same data.
 */
public final class SourceFingerprints {
    private SourceFingerprints() {
    }

    /** Path to {@code {"bytes": n, "sha256": hex}}, in the given order. */
    public static Map<String, Map<String, Object>> of(SparkSession spark, List<String> paths) {
        List<Map.Entry<String, Map<String, Object>>> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(paths, Math.max(1, paths.size()))
                .map(SourceFingerprints::fingerprint)
                .collect();
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        rows.forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static Map.Entry<String, Map<String, Object>> fingerprint(String path) {
        try (InputStream raw = HadoopFiles.open(path, new Configuration());
             DigestInputStream in = new DigestInputStream(raw, MessageDigest.getInstance("SHA-256"))) {
            byte[] buffer = new byte[1 << 16];
            long bytes = 0;
            for (int n; (n = in.read(buffer)) > 0; ) {
                bytes += n;
            }
            Map<String, Object> value = new LinkedHashMap<>();
            value.put("bytes", bytes);
            value.put("sha256", HexFormat.of().formatHex(in.getMessageDigest().digest()));
            return new AbstractMap.SimpleImmutableEntry<>(path, value);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot fingerprint " + path, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
