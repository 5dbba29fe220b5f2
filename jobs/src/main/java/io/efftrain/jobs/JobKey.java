package io.efftrain.jobs;

import io.efftrain.pipeline.run.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * What makes two runs of a stage job the same: the job, its inputs (their manifests, which carry counts,
 * statistics and source fingerprints) and the settings it reads. A job whose output already carries its key
 * has nothing to do, which makes reruns from a scheduler cheap and safe (idempotent).
 */
final class JobKey {
    private JobKey() {
    }

    /** SHA-256 over the parts' JSON, in order. */
    static String of(String job, List<Object> parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(job.getBytes(StandardCharsets.UTF_8));
            for (Object part : parts) {
                sha.update((byte) 0);
                sha.update(Json.line(part).getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
