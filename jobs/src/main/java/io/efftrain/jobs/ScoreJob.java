package io.efftrain.jobs;

import static org.apache.spark.sql.functions.col;

import io.efftrain.datasets.canonical.TableManifest;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.BudgetSettings;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.Columns;
import io.efftrain.pipeline.scoring.ExampleScorer;
import io.efftrain.pipeline.training.Event;
import io.efftrain.pipeline.training.TrainingCallback;
import io.efftrain.sampling.scores.ForgettingTracker;
import io.efftrain.sampling.scores.KeyedBlock;
import io.efftrain.sampling.scores.ScoreTables;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.SparkBlockSet;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.scoring.ProxyScorer;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;

/**
 * {@code efftrain score}: difficulty scores for every training example, keyed by id. Each of
 * {@code sampling.scoring.seeds} proxy models (the configured model and training settings, another seed each)
 * trains for {@code proxy-epochs} on the executors; at each epoch's end the executors record which examples it
 * gets right (forgetting events); at the end they score every example (loss, EL2N, GraNd, margin). The
 * proxies' scores are averaged. Examples never leave the executors; the driver sees models and counts.
 */
public final class ScoreJob {
    private ScoreJob() {
    }

    /** What the job did; timings let users compare scoring with training. */
    record Outcome(String scores, boolean alreadyDone, Map<String, Object> info) {
    }

    /**
     * Scores the train split of the table at {@code in} into {@code out}, with proxies trained as {@code config}
     * says (its model, optimizer and batch; {@code sampling.scoring}'s seeds and epochs as their budget).
     */
    public static Outcome run(SparkSession spark, EfftrainConfig config, String in, String out, boolean overwrite,
                              Ticker ticker, PrintStream progress) {
        config.model().requireClassification("score");
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        TableManifest input = TableManifest.read(in, hadoop);
        String settings = StageOutputs.settings(config, "sampling.scoring", "model", "train", "run.seed");
        String key = JobKey.of("score", List.of(input, settings));
        if (io.efftrain.datasets.AtomicDirectory.exists(out, hadoop)
                && key.equals(StageOutputs.scoresInfo(out, hadoop).get("job_key"))) {
            progress.println("[score] " + out + " is up to date (same input and settings); nothing to do");
            return new Outcome(out, true, StageOutputs.scoresInfo(out, hadoop));
        }
        int workers = config.train().workers().orElse(spark.sparkContext().defaultParallelism());
        Dataset<Row> train = spark.read().parquet(in).where(col(Columns.SPLIT).equalTo("train"));
        JavaRDD<KeyedBlock> keyed = KeyedBlock.of(train, workers, input.decoder())
                .persist(StorageLevel.MEMORY_AND_DISK());
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        PreparedData data = new PreparedData(in, input);

        List<Dataset<Row>> proxies = new ArrayList<>();
        List<ForgettingTracker> trackers = new ArrayList<>();
        double trainSeconds = 0;
        double scoreSeconds = 0;
        List<Double> proxyAccuracy = new ArrayList<>();
        for (int s = 0; s < config.sampling().scoring().seeds(); s++) {
            String why = "score: proxy " + (s + 1);
            EfftrainConfig proxyConfig = config.withSeed(config.run().seed() + s, why)
                    .withBudget(BudgetSettings.ofEpochs(config.sampling().scoring().proxyEpochs()), why)
                    .withoutEvaluationStops(why);
            Trainer trainer = new Trainer(proxyConfig, data.shape(), data.classCount());
            SparkBlockSet blocks = new SparkBlockSet(keyed.map(KeyedBlock::block));
            ForgettingTracker tracker = new ForgettingTracker(keyed);
            double[] observing = new double[1];
            TrainingCallback<TrainingState> observeEpochs = (event, state) -> {
                if (event == Event.EPOCH_END) {
                    Stopwatch watch = Stopwatch.start(ticker);
                    tracker.observe(jsc.broadcast(new ProxyScorer(trainer.spec(), state.model())));
                    observing[0] += watch.seconds();
                }
            };
            Stopwatch training = Stopwatch.start(ticker);
            TrainingState trained = trainer.train(blocks, ticker, List.of(), List.of(observeEpochs));
            trainSeconds += training.seconds() - observing[0];
            scoreSeconds += observing[0];
            blocks.release();
            Broadcast<ExampleScorer> scorer = jsc.broadcast(new ProxyScorer(trainer.spec(), trained.model()));
            Stopwatch scoring = Stopwatch.start(ticker);
            Dataset<Row> scores = ScoreTables.score(spark, tracker, scorer).persist(StorageLevel.MEMORY_AND_DISK());
            long n = scores.count();
            double accuracy = scores.where(col("correct")).count() / (double) n;
            scoreSeconds += scoring.seconds();
            proxyAccuracy.add(accuracy);
            proxies.add(scores);
            trackers.add(tracker);
            progress.printf(Locale.ROOT, "[score] proxy %d/%d: %d epochs, train accuracy %.4f%n", s + 1,
                    config.sampling().scoring().seeds(), config.sampling().scoring().proxyEpochs(), accuracy);
        }
        Map<String, Object> info = new LinkedHashMap<>();
        info.put("job", "score");
        info.put("job_key", key);
        info.put("input", in);
        info.put("settings", settings);
        info.put("examples", train.count());
        info.put("proxies", proxies.size());
        info.put("proxy_epochs", config.sampling().scoring().proxyEpochs());
        info.put("proxy_train_accuracy", proxyAccuracy);
        info.put("proxy_training_seconds", trainSeconds);
        info.put("scoring_pass_seconds", scoreSeconds);
        info.put("scoring_passes", proxies.size() * (config.sampling().scoring().proxyEpochs() + 1));
        double epochSeconds = trainSeconds / (proxies.size() * config.sampling().scoring().proxyEpochs());
        info.put("training_epoch_seconds", epochSeconds);
        int passes = proxies.size() * (config.sampling().scoring().proxyEpochs() + 1);
        info.put("one_scoring_pass_vs_epoch", scoreSeconds / passes / epochSeconds);
        info.put("whole_job_vs_epoch", (trainSeconds + scoreSeconds) / epochSeconds);
        StageOutputs.writeScores(ScoreTables.average(proxies), out, overwrite, info);
        proxies.forEach(Dataset::unpersist);
        trackers.forEach(ForgettingTracker::release);
        keyed.unpersist(false);
        progress.printf(Locale.ROOT, "[score] %s: proxies trained %.1f s, scoring passes %.1f s (one pass = %.2f of "
                + "a training epoch; the whole job = %.1f epochs)%n", out, trainSeconds, scoreSeconds,
                info.get("one_scoring_pass_vs_epoch"), info.get("whole_job_vs_epoch"));
        return new Outcome(out, false, info);
    }
}
