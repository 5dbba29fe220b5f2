package io.efftrain.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.efftrain.pipeline.run.JavaFlags;
import io.efftrain.pipeline.run.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The shipped Airflow DAG imports as a scheduler would import it (against a minimal Airflow stand-in in
 * src/test/resources/airflow-stub, with python3), with no file to prepare by hand first, and its one task keys
 * the run directory by the logical date, skips a committed run, resumes a killed one, retries and times out.
 */
class AirflowDagTest {
    private static final String READ_DAG = String.join("\n",
            "import importlib.util, json, sys",
            "spec = importlib.util.spec_from_file_location('dag', sys.argv[1])",
            "module = importlib.util.module_from_spec(spec)",
            "spec.loader.exec_module(module)",
            "dag = module.dag",
            "task = dag.tasks[0]",
            "timeout = task.kwargs.get('execution_timeout')",
            "print(json.dumps({'dag_id': dag.dag_id, 'tasks': [t.task_id for t in dag.tasks],",
            "    'max_active_runs': dag.kwargs.get('max_active_runs'), 'retries': task.kwargs.get('retries'),",
            "    'timeout_s': timeout.total_seconds() if timeout else None,",
            "    'args': task.kwargs['application_args'], 'conf': task.kwargs['conf']}))");

    @Test
    void theShippedDagImportsAndItsTaskIsSafeToRetryAndRerun() throws IOException, InterruptedException {
        Path home = Path.of("..").toAbsolutePath().normalize();
        ProcessBuilder python = new ProcessBuilder("python3", "-c", READ_DAG,
                home.resolve("conf/airflow/efftrain_fashion_mnist.py").toString());
        Map<String, String> env = python.environment();
        env.put("PYTHONPATH", Path.of("src/test/resources/airflow-stub").toAbsolutePath().toString());
        env.put("EFFTRAIN_HOME", home.toString());
        Process process = python.redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.waitFor(), out);

        JsonNode dag = Json.mapper().readTree(out);
        assertEquals("[\"train\"]", dag.get("tasks").toString());
        assertEquals(1, dag.get("max_active_runs").asInt(), "one run of a day at a time");
        assertEquals(2, dag.get("retries").asInt());
        assertTrue(dag.get("timeout_s").asDouble() > 0, "a hung run is stopped");
        List<String> args = new ArrayList<>();
        dag.get("args").forEach(a -> args.add(a.asText()));
        assertTrue(args.contains("--skip-if-done") && args.contains("--resume"), args.toString());
        String runDir = args.get(args.indexOf("--run-dir") + 1);
        assertTrue(runDir.contains("{{ ds_nodash }}"), "runs are keyed by the logical date, never 'latest': " + runDir);
        for (String side : List.of("driver", "executor")) {
            assertEquals(JavaFlags.java17(), dag.get("conf").get("spark." + side + ".extraJavaOptions").asText());
        }
    }
}
