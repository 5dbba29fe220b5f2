package io.efftrain.datasets;

import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkJobInfo;
import org.apache.spark.SparkStageInfo;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.JavaSparkStatusTracker;
import org.apache.spark.sql.SparkSession;

/**
 * Runs a Spark write so that, when it fails, none of its tasks is still running once the failure reaches the
 * caller. Spark fails a job as soon as one task fails and only then kills the others; a task that is still
 * writing can create files in the output's temporary directory after {@link AtomicDirectory} has deleted it,
 * leaving behind a folder that the next run refuses to touch. The write runs in its own job group, with its
 * tasks' threads interrupted on cancellation, and a failure waits (a bounded time) until the group's stages
 * have no active task.
 */
public final class SettledWrite {
    private static final String GROUP = "spark.jobGroup.id";
    private static final String DESCRIPTION = "spark.job.description";
    private static final String INTERRUPT = "spark.job.interruptOnCancel";
    /** Polls of the status tracker, {@link #POLL_MILLIS} apart, before giving up: about 30 s. */
    private static final int POLLS = 1500;
    private static final long POLL_MILLIS = 20;

    private SettledWrite() {
    }

    /** Runs {@code write}, whose Spark jobs form one group described as {@code description}. */
    public static void run(SparkSession spark, String description, Runnable write) {
        SparkContext context = spark.sparkContext();
        String group = context.getLocalProperty(GROUP);
        String described = context.getLocalProperty(DESCRIPTION);
        String interrupt = context.getLocalProperty(INTERRUPT);
        String ours = "efftrain-write-" + UUID.randomUUID();
        context.setJobGroup(ours, description, true);
        try {
            write.run();
        } catch (RuntimeException | Error failure) {
            context.cancelJobGroup(ours);
            awaitNoActiveTasks(JavaSparkContext.fromSparkContext(context).statusTracker(), ours);
            throw failure;
        } finally {
            context.setLocalProperty(GROUP, group);
            context.setLocalProperty(DESCRIPTION, described);
            context.setLocalProperty(INTERRUPT, interrupt);
        }
    }

    private static void awaitNoActiveTasks(JavaSparkStatusTracker tracker, String group) {
        for (int poll = 0; poll < POLLS && activeTasks(tracker, group) > 0; poll++) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static int activeTasks(JavaSparkStatusTracker tracker, String group) {
        int active = 0;
        for (int job : tracker.getJobIdsForGroup(group)) {
            SparkJobInfo info = tracker.getJobInfo(job);
            if (info == null) {
                continue;
            }
            for (int stage : info.stageIds()) {
                SparkStageInfo stageInfo = tracker.getStageInfo(stage);
                if (stageInfo != null) {
                    active += stageInfo.numActiveTasks();
                }
            }
        }
        return active;
    }
}
