package io.efftrain.jobs.bench;

import io.efftrain.datasets.canonical.CanonicalLayout;
import io.efftrain.datasets.feed.ExampleBlocks;
import io.efftrain.datasets.idx.IdxSource;
import io.efftrain.jobs.SparkSessions;
import io.efftrain.pipeline.budget.Stopwatch;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.run.Json;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.BatchOrder;
import io.efftrain.trainers.averaging.SparkBlockSet;
import io.efftrain.trainers.averaging.TrainRound;
import io.efftrain.trainers.loop.TrainingState;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.network.Network;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * {@code efftrain bench trainer}: training throughput of the configured network, in one process, three ways:
 * plain single-JVM DL4J ({@code fit} on minibatches), and efftrain's Spark parameter-averaging trainer with one
 * and with two workers. Figures are samples per second after a warm-up, all measured in the same run.
 */
public final class TrainerThroughputBench {
    private static final int EXAMPLES = 12_000;

    private TrainerThroughputBench() {
    }

    public static Map<String, Object> run(Path configFile, List<String> overrides, long steps, Ticker ticker,
                                          PrintStream progress) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(List.of("train.budget.epochs=null", "train.budget.wall-clock=null", "train.budget.samples=null",
                "train.budget.steps=" + steps, "data.train-limit=" + EXAMPLES));
        EfftrainConfig config = ConfigLoader.load(configFile, all);
        SparkSession spark = SparkSessions.start("efftrain bench trainer", config.spark());
        Dataset<Row> train = CanonicalLayout.assignIds(IdxSource.read(spark, List.of(new IdxSource.SplitFiles("train",
                config.data().idx().trainImages(), config.data().idx().trainLabels(), OptionalLong.of(EXAMPLES))),
                config.data().classNames().orElseThrow().size(), config.data().recordsPerTask())).cache();
        InputShape shape = new InputShape(1, 28, 28);
        Trainer trainer = new Trainer(config, shape, config.data().classNames().orElseThrow().size());

        Map<String, Object> results = new LinkedHashMap<>();
        results.put("model", config.model().type().name().toLowerCase(Locale.ROOT));
        results.put("batch_size", config.train().batchSize());
        results.put("steps_per_round", config.train().stepsPerRound());
        results.put("omp_num_threads", System.getenv().getOrDefault("OMP_NUM_THREADS", "unset"));

        ExampleBlock local = ExampleBlocks.of(train, 1).first();
        results.put("single_jvm_dl4j_samples_per_s", singleJvm(trainer, local, config, steps, ticker));
        progress.printf(Locale.ROOT, "[bench] single-JVM DL4J: %.0f samples/s%n", results.get("single_jvm_dl4j_samples_per_s"));
        for (int workers : new int[] {1, 2}) {
            JavaRDD<ExampleBlock> blocks = ExampleBlocks.of(train, workers);
            SparkBlockSet set = new SparkBlockSet(blocks);
            trainer.train(set, Ticker.system(), List.of(), List.of());
            TrainingState state = trainer.train(set, Ticker.system(), List.of(), List.of());
            set.release();
            double rate = state.time().samples() / (state.time().elapsed().toNanos() / 1e9);
            results.put("spark_trainer_" + workers + "_workers_samples_per_s", rate);
            progress.printf(Locale.ROOT, "[bench] efftrain trainer, %d worker(s): %.0f samples/s%n", workers, rate);
        }
        return results;
    }

    /** Plain DL4J in this JVM: fit on the same minibatches, after the same warm-up. */
    private static double singleJvm(Trainer trainer, ExampleBlock block, EfftrainConfig config, long steps,
                                    Ticker ticker) {
        Network net = trainer.newNetwork();
        int batch = config.train().batchSize();
        BatchOrder order = new BatchOrder(config.run().seed(), 0, block.size(), batch);
        int classes = config.data().classNames().orElseThrow().size();
        for (long step = 0; step < steps; step++) {
            net.fit(TrainRound.minibatch(block, order, step, classes));
        }
        long samples = 0;
        Stopwatch start = Stopwatch.start(ticker);
        for (long step = steps; step < 2 * steps; step++) {
            var minibatch = TrainRound.minibatch(block, order, step, classes);
            net.fit(minibatch);
            samples += minibatch.numExamples();
        }
        return samples / (start.seconds());
    }

    /** The results as JSON text. */
    public static String json(Map<String, Object> results) {
        return Json.pretty(results);
    }
}
