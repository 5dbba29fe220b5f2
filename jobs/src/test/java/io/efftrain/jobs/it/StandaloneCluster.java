package io.efftrain.jobs.it;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.pipeline.run.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on 127.0.0.1: a Master and one Worker, each its own JVM, on free ports. The
 * Worker launches executors as further JVMs. {@link #close()} stops the Worker (and so its executors), then the
 * Master.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final Duration STARTUP = Duration.ofMinutes(2);

    private final ChildJvm master;
    private final ChildJvm worker;
    private final int masterPort;
    private final int masterWebPort;
    private final Path workerDir;

    private StandaloneCluster(ChildJvm master, ChildJvm worker, int masterPort, int masterWebPort, Path workerDir) {
        this.master = master;
        this.worker = worker;
        this.masterPort = masterPort;
        this.masterWebPort = masterWebPort;
        this.workerDir = workerDir;
    }

    /**
     * Starts the cluster and waits until the Master reports the Worker alive.
     *
     * @param dir logs and the Worker's work directory (one sub-directory per application and executor)
     * @param cores task slots the Worker offers
     * @param memory memory the Worker offers executors, e.g. {@code 3g}
     */
    static StandaloneCluster start(SparkDistribution spark, Path dir, int cores, String memory) throws Exception {
        int masterPort = freePort();
        int masterWebPort = freePort();
        Path workerDir = dir.resolve("worker");
        ChildJvm master = spark.jvm("master", "org.apache.spark.deploy.master.Master")
                .jvmOptions("-Xmx512m")
                .arguments("--host", "127.0.0.1", "--port", String.valueOf(masterPort),
                        "--webui-port", String.valueOf(masterWebPort))
                .workingDirectory(dir)
                .start(dir.resolve("logs"));
        ChildJvm worker = null;
        try {
            worker = spark.jvm("worker", "org.apache.spark.deploy.worker.Worker")
                    .jvmOptions("-Xmx512m")
                    .arguments("--host", "127.0.0.1", "--port", String.valueOf(freePort()),
                            "--webui-port", String.valueOf(freePort()), "--cores", String.valueOf(cores),
                            "--memory", memory, "--work-dir", workerDir.toString(),
                            "spark://127.0.0.1:" + masterPort)
                    .workingDirectory(dir)
                    .start(dir.resolve("logs"));
            StandaloneCluster cluster = new StandaloneCluster(master, worker, masterPort, masterWebPort, workerDir);
            cluster.awaitAliveWorker();
            return cluster;
        } catch (Throwable failure) {
            if (worker != null) {
                worker.close();
            }
            master.close();
            throw failure;
        }
    }

    /** The URL applications are submitted to. */
    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** Where the Worker keeps each executor's directory: {@code <app-id>/<executor-id>/stderr}. */
    Path workerDir() {
        return workerDir;
    }

    /** The Master's state as its web UI serves it ({@code /json}): workers, running and completed applications. */
    JsonNode masterState() throws IOException, InterruptedException {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + masterWebPort + "/json/")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(response.body());
    }

    /**
     * The Master's completed applications once there are {@code count} of them: a driver's goodbye is a one-way
     * message, so the Master may file the application a moment after the driver's JVM has ended.
     */
    JsonNode awaitCompletedApplications(int count) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        JsonNode completed = masterState().path("completedapps");
        while (completed.size() < count && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(250);
            completed = masterState().path("completedapps");
        }
        return completed;
    }

    /** The ids of every application the Master knows, running or completed. */
    Set<String> applications() throws IOException, InterruptedException {
        JsonNode state = masterState();
        Set<String> ids = new TreeSet<>();
        for (String list : List.of("activeapps", "completedapps")) {
            state.path(list).forEach(app -> ids.add(app.path("id").asText()));
        }
        return ids;
    }

    /**
     * The id of the application the Master runs now that is not among {@code known}, once there is one: a driver's
     * goodbye is a one-way message, so an application that has just ended may still be listed as running.
     */
    String awaitNewApplication(Set<String> known) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            for (JsonNode app : masterState().path("activeapps")) {
                if (!known.contains(app.path("id").asText())) {
                    return app.path("id").asText();
                }
            }
            if (System.nanoTime() > deadline) {
                fail("no new application within " + STARTUP + "\n" + logs());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }

    /**
     * The executor JVMs the Worker runs now for application {@code appId}, by executor id: the Worker starts each
     * as its own {@code java ... CoarseGrainedExecutorBackend --executor-id N --app-id ID} process.
     */
    Map<String, ProcessHandle> executorProcesses(String appId) {
        Map<String, ProcessHandle> executors = new TreeMap<>();
        worker.handle().descendants().filter(ProcessHandle::isAlive).forEach(process -> {
            List<String> args = List.of(process.info().arguments().orElse(new String[0]));
            String id = argument(args, "--executor-id");
            if (args.contains("org.apache.spark.executor.CoarseGrainedExecutorBackend") && id != null
                    && appId.equals(argument(args, "--app-id"))) {
                executors.put(id, process);
            }
        });
        return executors;
    }

    private static String argument(List<String> args, String name) {
        int at = args.indexOf(name);
        return at >= 0 && at + 1 < args.size() ? args.get(at + 1) : null;
    }

    /** Both daemons' logs, for assertion messages. */
    String logs() {
        return master.tail() + "\n" + worker.tail();
    }

    private void awaitAliveWorker() throws InterruptedException {
        long deadline = System.nanoTime() + STARTUP.toNanos();
        while (true) {
            assertTrue(master.isAlive() && worker.isAlive(), "a cluster daemon died while starting\n" + logs());
            try {
                if (masterState().path("aliveworkers").asInt() >= 1) {
                    return;
                }
            } catch (IOException notListeningYet) {
                // The Master's web UI comes up a few seconds after its JVM; keep polling.
            }
            if (System.nanoTime() > deadline) {
                fail("no alive worker after " + STARTUP + "\n" + logs());
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
    }

    @Override
    public void close() {
        try {
            worker.close();
        } finally {
            master.close();
        }
    }

    /** A port nobody listens on now (the daemon binds it a moment later; Spark retries if it is taken). */
    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
