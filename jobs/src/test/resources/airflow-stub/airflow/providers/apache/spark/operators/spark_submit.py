"""Stand-in for Airflow's SparkSubmitOperator: records its arguments on the current DAG."""
from airflow import DAG


class SparkSubmitOperator:
    def __init__(self, task_id, **kwargs):
        if DAG.current is None:
            raise RuntimeError(f"task {task_id} is created outside a DAG")
        self.task_id = task_id
        self.kwargs = kwargs
        DAG.current.tasks.append(self)
