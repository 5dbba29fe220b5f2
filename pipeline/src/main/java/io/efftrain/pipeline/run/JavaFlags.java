package io.efftrain.pipeline.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The JVM flags Spark needs on Java 17, read from the copy of conf/java17-flags.properties inside this jar
 * (the single source of that list), so a driver can give them to executor JVMs it has not started itself.
 */
public final class JavaFlags {
    private JavaFlags() {
    }

    /** The flags as one space-separated string, suitable for {@code spark.executor.extraJavaOptions}. */
    public static String java17() {
        Properties props = new Properties();
        try (InputStream in = JavaFlags.class.getResourceAsStream("/io/efftrain/pipeline/java17-flags.properties")) {
            if (in == null) {
                throw new IllegalStateException("java17-flags.properties is missing from the efftrain-pipeline jar");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return props.getProperty("efftrain.java17.flags").trim().replaceAll("\\s+", " ");
    }
}
