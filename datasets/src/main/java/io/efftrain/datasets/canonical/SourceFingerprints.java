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
 * whether it saw the same data. Many small files (an image folder) are summarised per group: file count, total
 * bytes and one SHA-256 over the files' digests in order.
 */
public final class SourceFingerprints {
    private SourceFingerprints() {
    }

    /**
     * Group name to {@code {"files": n, "bytes": total, "sha256": hex, "path": p}}: a group of one file gets that
     * file's own digest (what {@code sha256sum} prints) and path.
     */
    public static Map<String, Map<String, Object>> ofGroups(SparkSession spark, Map<String, List<String>> groups) {
        List<String> all = groups.values().stream().flatMap(List::stream).toList();
        Map<String, Map<String, Object>> each = of(spark, all);
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        groups.forEach((name, files) -> {
            if (files.size() == 1) {
                Map<String, Object> one = new LinkedHashMap<>(each.get(files.get(0)));
                one.put("files", 1);
                one.put("path", files.get(0));
                out.put(name, one);
                return;
            }
            try {
                MessageDigest combined = MessageDigest.getInstance("SHA-256");
                long bytes = 0;
                for (String f : files) {
                    bytes += (Long) each.get(f).get("bytes");
                    combined.update(((String) each.get(f).get("sha256")).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                }
                Map<String, Object> summary = new LinkedHashMap<>();
                summary.put("files", files.size());
                summary.put("bytes", bytes);
                summary.put("sha256", HexFormat.of().formatHex(combined.digest()));
                out.put(name, summary);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        });
        return out;
    }

    /** Path to {@code {"bytes": n, "sha256": hex}}, in the given order. */
    public static Map<String, Map<String, Object>> of(SparkSession spark, List<String> paths) {
        List<Map.Entry<String, Map<String, Object>>> rows = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(paths, Math.max(1, Math.min(paths.size(), spark.sparkContext().defaultParallelism() * 4)))
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
