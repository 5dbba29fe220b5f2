package io.efftrain.jobs.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Spark "installation" made of the Maven jars the build resolved: {@code <home>/jars} holds links to
 * {@code jobs/target/spark-lib/*} (plus any extra jars), which is all {@code SPARK_HOME} needs for a Master, a
 * Worker, the executors the Worker launches and SparkSubmit. Links, not copies: the jars are about 250 MB.
 */
final class SparkDistribution {
    private final Path home;

    private SparkDistribution(Path home) {
        this.home = home;
    }

    static SparkDistribution create(Path home, Path sparkLib, List<Path> extraJars) {
        Path jars = home.resolve("jars");
        try {
            Files.createDirectories(jars);
            List<Path> all = new ArrayList<>();
            try (Stream<Path> files = Files.list(sparkLib)) {
                files.filter(f -> f.getFileName().toString().endsWith(".jar")).forEach(all::add);
            }
            all.addAll(extraJars);
            for (Path jar : all) {
                Files.createSymbolicLink(jars.resolve(jar.getFileName()), jar.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out a Spark distribution in " + home, e);
        }
        return new SparkDistribution(home);
    }

    /** The value of {@code SPARK_HOME}. */
    Path home() {
        return home;
    }

    /** The class path entry that holds every jar of the distribution. */
    String jarsClassPath() {
        return home.resolve("jars") + "/*";
    }

    /**
     * A JVM of this distribution: {@code SPARK_HOME} set, and {@code SPARK_SCALA_VERSION}, without which a Worker
     * cannot build an executor's class path outside a Spark source tree ("Cannot find any build directories").
     * Scratch space (block managers, fetched jars, shuffle files) stays inside the distribution's directory, so it
     * goes when the test's directory goes instead of piling up in /tmp.
     */
    ChildJvm.Spec jvm(String name, String mainClass) {
        return new ChildJvm.Spec(name, mainClass)
                .classPath(jarsClassPath())
                .environment("SPARK_HOME", home.toString())
                .environment("SPARK_SCALA_VERSION", "2.12")
                .environment("SPARK_LOCAL_DIRS", home.resolve("local").toString());
    }
}
