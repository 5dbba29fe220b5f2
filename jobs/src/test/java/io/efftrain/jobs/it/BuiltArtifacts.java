package io.efftrain.jobs.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * What {@code mvn package} built and where the repository is, for tests that start other JVMs. Failsafe
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

    /** Spark's Scala shell (spark-repl and the Scala compiler), as {@code jobs/target/repl-lib} holds them. */
    static Path replLib() {
        return existing("efftrain.it.repl-lib");
    }

    /** The jars of {@link #replLib()}; fails unless both the shell and the compiler are there. */
    static List<Path> replLibJars() {
        try (Stream<Path> files = Files.list(replLib())) {
            List<Path> jars = files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().toList();
            List<String> names = jars.stream().map(j -> j.getFileName().toString()).toList();
            assertTrue(names.stream().anyMatch(n -> n.startsWith("spark-repl_"))
                    && names.stream().anyMatch(n -> n.startsWith("scala-compiler-")),
                    replLib() + " holds spark-repl and scala-compiler, found " + names);
            return jars;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + replLib(), e);
        }
    }

    /** The repository's conf directory (configs, log4j2.properties). */
    static Path confDir() {
        return existing("efftrain.it.conf");
    }

    /** The repository's root: README.md, bin/, conf/. */
    static Path repository() {
        return confDir().getParent();
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
