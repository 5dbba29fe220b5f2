package io.efftrain.jobs.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What {@code mvn package} built and what the test class path holds, for tests that start other JVMs. Failsafe
 * passes the paths as system properties (see jobs/pom.xml), so these tests run only after {@code package}.
 */
final class BuiltArtifacts {
    private BuiltArtifacts() {
    }

    /** The shaded jar that spark-submit and {@code spark-shell --jars} get. */
    static Path efftrainJar() {
        return existing("efftrain.it.jar");
    }

    /** Spark's runtime jars, as {@code jobs/target/spark-lib} holds them after package. */
    static Path sparkLib() {
        return existing("efftrain.it.spark-lib");
    }

    /** The repository's conf directory (configs, log4j2.properties). */
    static Path confDir() {
        return existing("efftrain.it.conf");
    }

    /**
     * Jars of the test class path whose file names start with one of {@code prefixes}: how a test finds test-scoped
     * artifacts (the Scala shell) that are not part of any build output.
     */
    static List<Path> testClassPathJars(String... prefixes) {
        List<Path> jars = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(Path::of)
                .filter(p -> Arrays.stream(prefixes).anyMatch(prefix -> p.getFileName().toString().startsWith(prefix)))
                .toList();
        assertTrue(jars.size() >= prefixes.length, "expected jars starting with " + Arrays.toString(prefixes)
                + " on the test class path, found " + jars);
        return jars;
    }

    private static Path existing(String property) {
        String value = System.getProperty(property);
        assertTrue(value != null, "system property " + property + " is not set: run this test through Maven "
                + "(mvn verify -pl jobs -am), which sets it after packaging");
        Path path = Path.of(value).toAbsolutePath().normalize();
        assertTrue(Files.exists(path), path + " does not exist; build it with mvn -DskipTests package");
        return path;
    }
}
