package io.efftrain.jobs.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A committed run directory without training: the four files a report reads, copied from a real run of
 * conf/fashion-mnist.conf (3,000 training examples, 2 epochs); the config is trimmed and carries markup in a
 * comment, which the page must show as text.
 */
final class FakeRun {
    /** The config comment that must come out escaped. */
    static final String HOSTILE_COMMENT = "# <script>alert(\"efftrain\")</script> & friends";

    private FakeRun() {
    }

    static Path create(Path dir, double accuracyShift) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("summary.json"), SUMMARY.replace("0.711", String.valueOf(0.711 + accuracyShift))
                .replace("0.6,", String.valueOf(0.6 + accuracyShift) + ","));
        Files.writeString(dir.resolve("metrics.jsonl"), METRICS);
        // The deduplicated table's input: the prepared table, with its counts before duplicates went.
        Path prepared = Files.createDirectories(dir.resolve("data/canonical"));
        Files.writeString(prepared.resolve("_manifest.json"), PREPARED_TABLE_MANIFEST);
        Files.writeString(dir.resolve("manifest.json"), MANIFEST.replace("INPUT_TABLE", prepared.toUri().toString()));
        Files.writeString(dir.resolve("config.conf"), CONFIG);
        Files.writeString(dir.resolve("_SUCCESS"), "");
        return dir;
    }

    private static final String SUMMARY = """
            {
              "resumed_from_round" : null,
              "stages" : {
                "evaluate" : 0.008233144,
                "load" : 11.813269781,
                "prepare" : 38.555343476,
                "train" : 13.588234558
              },
              "test_accuracy" : 0.711,
              "test_examples" : 1000,
              "test_loss" : 0.8003525953669227,
              "total_seconds" : 72.099881126,
              "training" : {
                "coordination_share" : 0.094720303434774,
                "epochs" : 2.048,
                "estimated_flops" : 8.4529152E10,
                "evaluation_split" : "test",
                "evaluations" : [ {
                  "accuracy" : 0.6,
                  "elapsed_s" : 2.656011368,
                  "epoch" : 1.024,
                  "examples" : 1000,
                  "loss" : 1.0736315852993734,
                  "step" : 12
                }, {
                  "accuracy" : 0.711,
                  "elapsed_s" : 4.935426947,
                  "epoch" : 2.048,
                  "examples" : 1000,
                  "loss" : 0.8003525953669227,
                  "step" : 24
                } ],
                "final_loss" : 0.8130934710303942,
                "rounds" : 2,
                "samples" : 6144,
                "samples_per_s" : 1244.877103030495,
                "seconds" : 4.935426947,
                "seconds_to_accuracy" : {
                  "0.88" : null,
                  "0.90" : null,
                  "0.92" : null
                },
                "steps" : 24,
                "stop_reason" : "EPOCHS",
                "worker_balance" : 0.9722895641231034,
                "worker_cpu_share" : 0.29627203806219204,
                "workers" : 2
              }
            }
            """;

    private static final String METRICS = """
            {"budget_used":0.512,"coordination_share":0.13504936700255865,"elapsed_s":2.656011368,"epoch":1.024,\
            "flops":4.2264576E10,"learning_rate":0.003333333333333333,"loss":1.9857388610641162,"round":1,\
            "samples":3072,"step":12,"worker_balance":0.9983762239965804,"worker_cpu_share":0.3231175423598228}
            {"budget_used":1.024,"coordination_share":0.04772823569440032,"elapsed_s":4.935426947,"epoch":2.048,\
            "flops":8.4529152E10,"learning_rate":0.0027586206896551726,"loss":0.8130934710303942,"round":2,\
            "samples":6144,"step":24,"worker_balance":0.9446802697913799,"worker_cpu_share":0.26624463438755835}
            """;

    private static final String MANIFEST = """
            {
              "config" : "config.conf",
              "config_file" : "conf/fashion-mnist.conf",
              "created" : "2026-12-07T16:31:46.174906292Z",
              "data" : {
                "class_names" : [ "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt",\
             "Sneaker", "Bag", "Ankle boot" ],
                "counts" : {
                  "test" : 1000,
                  "train" : 3000
                },
                "encoding" : "UINT8",
                "lineage" : {
                  "job" : "dedup",
                  "job_key" : "3f1c",
                  "input" : "INPUT_TABLE",
                  "removed_exact" : 12,
                  "removed_near" : 31
                },
                "shape" : [ 1, 28, 28 ],
                "source" : "idx",
                "sources" : {
                  "train-images" : {
                    "bytes" : 26421856,
                    "files" : 1,
                    "path" : "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz",
                    "sha256" : "b0564c3eedabfbf835052cff8503ea422014ce006caf5b757f851416ee8300c7"
                  }
                },
                "table" : "file:///tmp/.r1.staging/data/canonical",
                "table_manifest" : "data/canonical/_manifest.json"
              },
              "driver_cpu" : {
                "avx512" : false,
                "family" : "25",
                "model" : "1",
                "model_name" : "AMD EPYC",
                "processors" : 2
              },
              "overrides" : [ "data.train-limit=3000", "data.test-limit=1000", "train.budget.epochs=2" ],
              "seed" : 42,
              "spark_master" : "local[*]",
              "versions" : {
                "dl4j" : "1.0.0-M2.1",
                "efftrain" : "0.1.0-SNAPSHOT",
                "hadoop" : "3.3.4",
                "java" : "17.0.15 (Debian)",
                "scala" : "2.12.18",
                "spark" : "3.5.7",
                "spark_runtime" : "3.5.7"
              }
            }
            """;

    private static final String PREPARED_TABLE_MANIFEST = """
            {"layoutVersion":1,"source":"idx","shape":[1,28,28],"encoding":"UINT8","countsBySplit":{"test":1000,\
            "train":3043},"lineage":{}}
            """;

    static final String CONFIG = """
            data {
                # Keep only these labels, relabelled 0..k-1 in this order (e.g. [0, 9]); null keeps every class.
                classes=null
                test-limit=1000
                train-limit=3000
            }
            """ + HOSTILE_COMMENT + """

            sampling {
                dedup {
                    enabled=true
                    near=true
                }
                infobatch {
                    anneal=0.875
                    enabled=true
                    prune-ratio=0.5
                }
            }
            train {
                batch-size=128
                budget {
                    epochs=2
                    flops=null
                    samples=null
                    steps=null
                    wall-clock="8m"
                }
                schedule=rex
                steps-per-round=32
            }
            """;
}
