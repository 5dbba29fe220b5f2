package io.efftrain.pipeline.run;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/** The versions efftrain was built against, recorded in every run manifest so a run can be rebuilt. */
public final class BuildInfo {
    private BuildInfo() {
    }

    /** Component name to version: efftrain, spark, scala, dl4j, hadoop, plus the running Java. */
    public static Map<String, String> versions() {
        Properties props = new Properties();
        try (InputStream in = BuildInfo.class.getResourceAsStream("/io/efftrain/pipeline/build.properties")) {
            if (in == null) {
                throw new IllegalStateException("build.properties is missing from the efftrain-pipeline jar");
            }
            props.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> out = new TreeMap<>();
        props.stringPropertyNames().forEach(k -> out.put(k, props.getProperty(k)));
        out.put("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
        return out;
    }
}
