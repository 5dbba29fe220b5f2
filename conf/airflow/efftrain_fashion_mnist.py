"""Example Airflow DAG: a nightly efftrain run on a Spark cluster.

Each run is keyed by the logical date, so a rerun of the same day writes the same run directory. A retried or
rerun attempt passes --skip-if-done (a run of the same config already committed there: exit with that run's
outcome, without training again) and --resume (a killed attempt continues from its last checkpoint). A missed
target accuracy (exit 5) is therefore not trained again by a retry: the retry reads the committed run and exits
5 again at once. Exit codes: 0 done, 1 internal failure, 2 usage, 3 bad config, 4 bad input, 5 budget ended
before the target accuracy (run committed), 6 output already complete with another config or not efftrain's,
7 training diverged, 8 another process is writing the same run directory. jobs' AirflowDagTest imports this file
against a minimal Airflow stand-in and checks its task.
"""
import os
from datetime import datetime, timedelta
from pathlib import Path

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

# A checkout with jobs/target/efftrain.jar built; EFFTRAIN_HOME overrides it.
EFFTRAIN = os.environ.get("EFFTRAIN_HOME", "/opt/efftrain")


def java17_flags(efftrain_home):
    """The JVM flags Spark needs on Java 17, read from the file bin/efftrain and the build read them from."""
    text = (Path(efftrain_home) / "conf" / "java17-flags.properties").read_text()
    logical = text.replace("\\\n", " ")
    for line in logical.splitlines():
        if line.startswith("efftrain.java17.flags="):
            return " ".join(line.split("=", 1)[1].split())
    raise ValueError(f"{efftrain_home}/conf/java17-flags.properties has no efftrain.java17.flags")


JAVA17_FLAGS = java17_flags(EFFTRAIN)

with DAG(
    dag_id="efftrain_fashion_mnist",
    start_date=datetime(2026, 11, 1),
    schedule="@daily",
    catchup=False,
    max_active_runs=1,
) as dag:
    SparkSubmitOperator(
        task_id="train",
        conn_id="spark_default",  # spark://master:7077, YARN or k8s://...
        application=f"{EFFTRAIN}/jobs/target/efftrain.jar",
        java_class="io.efftrain.jobs.Main",
        application_args=[
            "run", f"{EFFTRAIN}/conf/fashion-mnist.conf",
            "--run-dir", "/shared/efftrain/runs/fashion-mnist/{{ ds_nodash }}",
            "--skip-if-done",  # the same day's committed run is not trained again
            "--resume",  # a retried attempt continues from the checkpoint of the killed one
            "--set", "train.evaluation.every-epochs=1",
            "--set", "train.evaluation.target-accuracy=0.90",
        ],
        conf={
            "spark.driver.extraJavaOptions": JAVA17_FLAGS,
            "spark.executor.extraJavaOptions": JAVA17_FLAGS,
            "spark.executorEnv.OMP_NUM_THREADS": "1",
        },
        retries=2,
        retry_delay=timedelta(minutes=5),
        # The main job trains in about a minute on 2 cores; a run that hangs is stopped long before the next day.
        execution_timeout=timedelta(hours=2),
    )
