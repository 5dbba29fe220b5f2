package io.efftrain.jobs;

import io.efftrain.datasets.canonical.CanonicalTables;
import io.efftrain.datasets.feed.ExampleBlocks;
import io.efftrain.pipeline.config.EvaluationSplit;
import io.efftrain.pipeline.error.EfftrainException;
import io.efftrain.pipeline.error.ExitCode;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.EvaluationCounts;
import io.efftrain.trainers.averaging.SparkBlockSet;
import io.efftrain.trainers.loop.EvaluationPoint;
import io.efftrain.trainers.loop.TrainingState;
import org.apache.spark.sql.SparkSession;

/**
 * The held-out data of a training job: the test split, which the run's final accuracy is measured on, and the
 * split that {@code train.evaluation.split} names for the evaluations during training (the same blocks when that
 * is the test split, so nothing is loaded twice).
 */
final class HeldOutSplits {
    private final SparkBlockSet test;
    private final SparkBlockSet duringTraining;
    private final EvaluationSplit split;

    private HeldOutSplits(SparkBlockSet test, SparkBlockSet duringTraining, EvaluationSplit split) {
        this.test = test;
        this.duringTraining = duringTraining;
        this.split = split;
    }

    /** Loads the splits; fails before any training when the evaluation split has no examples. */
    static HeldOutSplits load(SparkSession spark, PreparedData data, EvaluationSplit split, int workers) {
        SparkBlockSet test = blocks(spark, data, PrepareStage.TEST, workers);
        if (split == EvaluationSplit.TEST) {
            return new HeldOutSplits(test, test, split);
        }
        long examples = data.countsBySplit().getOrDefault(split.tableName(), 0L);
        if (examples == 0) {
            throw new EfftrainException(ExitCode.BAD_CONFIG, "train.evaluation.split = " + split.tableName()
                    + ", but the table " + data.tablePath() + " has no " + split.tableName() + " examples (its "
                    + "splits: " + data.countsBySplit() + "). Hold some out with data.split.validation (e.g. 0.1; "
                    + "for data.source = table, prepare the table again with it), or evaluate on test.");
        }
        return new HeldOutSplits(test, blocks(spark, data, split.tableName(), workers), split);
    }

    private static SparkBlockSet blocks(SparkSession spark, PreparedData data, String split, int workers) {
        return new SparkBlockSet(ExampleBlocks.of(CanonicalTables.readSplit(spark, data.tablePath(), split), workers,
                data.manifest().decoder()));
    }

    /** The split the final accuracy is measured on. */
    SparkBlockSet test() {
        return test;
    }

    /** The split the evaluations during training read (and the stopping rules follow). */
    SparkBlockSet duringTraining() {
        return duringTraining;
    }

    EvaluationSplit split() {
        return split;
    }

    /**
     * The final model's test evaluation: the last evaluation during training when that one saw the final model on
     * the test split (no second pass over it), otherwise a new one.
     */
    EvaluationCounts finalTestEvaluation(Trainer trainer, TrainingState trained) {
        return trained.evaluationOfCurrentModel().filter(point -> split == EvaluationSplit.TEST)
                .map(EvaluationPoint::counts).orElseGet(() -> trainer.evaluate(test, trained.model()));
    }

    void release() {
        test.release();
        if (duringTraining != test) {
            duringTraining.release();
        }
    }
}
