package io.efftrain.jobs.it;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An efftrain command submitted with SparkSubmit (client mode: the driver is the SparkSubmit JVM) to a
 * {@link StandaloneCluster}, the way the cluster tests submit it: two executors of one core each, so the two
 * training workers live in different JVMs, and an event log of the application in {@code events}.
 */
final class ClusterSubmit {
    private ClusterSubmit() {
    }

    /**
     * @param name the child JVM's name (its log files)
     * @param events the folder the application's event log goes to
     * @param efftrainArgs what follows the jar on the command line ({@code run CONFIG --run-dir ...})
     */
    static ChildJvm.Spec efftrain(SparkDistribution spark, StandaloneCluster cluster, String name, Path events,
                                  List<String> efftrainArgs) {
        List<String> args = new ArrayList<>(List.of("--master", cluster.masterUrl(), "--deploy-mode", "client",
                "--class", "io.efftrain.jobs.Main",
                "--conf", "spark.executor.cores=1", "--conf", "spark.cores.max=2",
                "--conf", "spark.executor.memory=1g",
                "--conf", "spark.executorEnv.OMP_NUM_THREADS=1",
                // Training starts once both executors have registered, not with whichever came first.
                "--conf", "spark.scheduler.minRegisteredResourcesRatio=1.0",
                "--conf", "spark.scheduler.maxRegisteredResourcesWaitingTime=120s",
                "--conf", "spark.ui.enabled=false",
                "--conf", "spark.eventLog.enabled=true", "--conf", "spark.eventLog.dir=" + events.toUri(),
                BuiltArtifacts.efftrainJar().toString()));
        args.addAll(efftrainArgs);
        return spark.jvm(name, "org.apache.spark.deploy.SparkSubmit")
                .jvmOptions("-Xmx2g", "-Dlog4j2.configurationFile=" + BuiltArtifacts.confDir().resolve("log4j2.properties"))
                .arguments(args);
    }
}
