package io.efftrain.datasets;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a Spark write so that, when it fails, none of its tasks is still running once the failure reaches the
 * caller. Spark fails a job as soon as one task fails and only then kills the others; a task that is still
 * writing can create files in the output's temporary directory after {@link AtomicDirectory} has deleted it,
 * leaving behind a folder that the next run refuses to touch. The write runs in its own job group, with its
 * tasks' threads interrupted on cancellation; a listener counts the group's jobs and tasks, and a failure waits
 * (a bounded time) until every job it saw has ended and every task that started has ended too.
 */
public final class SettledWrite {
    private static final String GROUP = "spark.jobGroup.id";
    private static final String DESCRIPTION = "spark.job.description";
    private static final String INTERRUPT = "spark.job.interruptOnCancel";
    private static final long POLL_MILLIS = 20;
    /** Polls for the first job to show up (events reach listeners a little late): about 2 s. */
    private static final int FIRST_JOB_POLLS = 100;
    /** Polls for the tasks to end: about 60 s. */
    private static final int SETTLE_POLLS = 3000;

    private SettledWrite() {
    }

    /** Runs {@code write}, whose Spark jobs form one group described as {@code description}. */
    public static void run(SparkSession spark, String description, Runnable write) {
        SparkContext context = spark.sparkContext();
        String group = context.getLocalProperty(GROUP);
        String described = context.getLocalProperty(DESCRIPTION);
        String interrupt = context.getLocalProperty(INTERRUPT);
        String ours = "efftrain-write-" + UUID.randomUUID();
        GroupTasks tasks = new GroupTasks(ours);
        context.addSparkListener(tasks);
        context.setJobGroup(ours, description, true);
        try {
            write.run();
        } catch (RuntimeException | Error failure) {
            context.cancelJobGroup(ours);
            tasks.awaitSettled();
            throw failure;
        } finally {
            context.removeSparkListener(tasks);
            context.setLocalProperty(GROUP, group);
            context.setLocalProperty(DESCRIPTION, described);
            context.setLocalProperty(INTERRUPT, interrupt);
        }
    }

    /** The jobs and running tasks of one job group, as the listener bus reports them. */
    private static final class GroupTasks extends SparkListener {
        private final String group;
        private final Set<Integer> stages = new HashSet<>();
        private final Set<Integer> jobs = new HashSet<>();
        private int jobsEnded;
        private int running;

        GroupTasks(String group) {
            this.group = group;
        }

        @Override
        public synchronized void onJobStart(SparkListenerJobStart start) {
            if (start.properties() != null && group.equals(start.properties().getProperty(GROUP))) {
                jobs.add(start.jobId());
                scala.collection.Iterator<Object> ids = start.stageIds().iterator();
                while (ids.hasNext()) {
                    stages.add((Integer) ids.next());
                }
            }
        }

        @Override
        public synchronized void onJobEnd(SparkListenerJobEnd end) {
            if (jobs.contains(end.jobId())) {
                jobsEnded++;
            }
        }

        @Override
        public synchronized void onTaskStart(SparkListenerTaskStart start) {
            if (stages.contains(start.stageId())) {
                running++;
            }
        }

        @Override
        public synchronized void onTaskEnd(SparkListenerTaskEnd end) {
            if (stages.contains(end.stageId())) {
                running--;
            }
        }

        private synchronized boolean sawAJob() {
            return !jobs.isEmpty();
        }

        private synchronized boolean settled() {
            return jobsEnded == jobs.size() && running <= 0;
        }

        void awaitSettled() {
            try {
                for (int poll = 0; poll < FIRST_JOB_POLLS && !sawAJob(); poll++) {
                    Thread.sleep(POLL_MILLIS);
                }
                for (int poll = 0; poll < SETTLE_POLLS && !settled(); poll++) {
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
