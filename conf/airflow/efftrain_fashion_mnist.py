"""Example Airflow DAG: a nightly efftrain run on a Spark cluster (documentation; efftrain's tests do not run it).

Each run is keyed by the logical date, so a rerun of the same day writes the same run directory: efftrain
refuses to overwrite a completed run (exit code 6), which Airflow shows as a failure you can inspect, and a
killed attempt is continued from its last checkpoint with --resume. Exit codes: 0 done, 1 internal failure,
2 usage, 3 bad config, 4 bad input, 5 budget ended before the target accuracy (run committed),
6 run already complete, 7 training diverged.
"""
from datetime import datetime

from airflow import DAG
from airflow.providers.apache.spark.operators.spark_submit import SparkSubmitOperator

EFFTRAIN = "/opt/efftrain"  # a checkout with jobs/target/efftrain.jar built
JAVA17_FLAGS = open(f"{EFFTRAIN}/conf/java17-flags.txt").read().strip()  # bin/efftrain java-flags > that file

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
    )
