package io.efftrain.jobs.bench;

import io.efftrain.jobs.HostCpu;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.model.InputShape;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code efftrain bench peers}: the comparison users make. Each network (the LeNet, the MLP, the default ResNet,
 * a ResNet-20 and the default ViT) trains in efftrain (the Spark trainer with two one-thread workers, after a warm-up run) and in
 * PyTorch (one process, two threads, the same layers, batch, optimizer and examples; {@code torch_peer.py}),
 * in the same run on the same cores. It prints samples/s, their ratio and efftrain's achieved share of the
 * matrix-multiply peak measured in the same run. PyTorch is the machine's own (Debian: {@code apt-get install
 * python3-torch}); without it the peer's columns are empty and say why.
 */
public final class PeerBench {
    /** The networks compared, as config overrides. */
    public static final Map<String, List<String>> NETWORKS = networks();

    private PeerBench() {
    }

    private static Map<String, List<String>> networks() {
        Map<String, List<String>> networks = new LinkedHashMap<>();
        networks.put("lenet", List.of("model.type=lenet"));
        networks.put("mlp", List.of("model.type=mlp"));
        networks.put("resnet", List.of("model.type=resnet"));
        networks.put("resnet20", List.of("model.type=resnet", "model.resnet.blocks-per-stage=3"));
        networks.put("vit", List.of("model.type=vit"));
        return networks;
    }

    public static Map<String, Object> run(Path configFile, List<String> overrides, List<String> only, long steps,
                                   Ticker ticker, PrintStream progress) {
        Map<String, Object> bench = new LinkedHashMap<>();
        bench.put("cpu", HostCpu.ofThisMachine().toJson());
        // Two one-thread workers: the peak they can reach together is twice one thread's best multiply.
        double peak = 2 * GemmPeak.measureGflops(1024, 10, ticker);
        bench.put("gemm_peak_gflops_two_threads", peak);
        progress.printf(Locale.ROOT, "[peers] multiply peak for two threads: %.1f GFLOP/s%n", peak);
        Path script = extractScript();
        String torch = torchVersion();
        bench.put("peer", torch == null ? "PyTorch not installed (Debian: apt-get install python3-torch)"
                : "PyTorch " + torch + " (" + python() + "), 2 threads, one process");
        // Debian's PyTorch multiplies dense layers with whatever libblas.so.3 points to: the reference BLAS unless
        // an optimised one (libopenblas0) is installed, which changes the MLP's figure several times over.
        bench.put("peer_blas", systemBlas());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (Map.Entry<String, List<String>> network : NETWORKS.entrySet()) {
            if (!only.isEmpty() && !only.contains(network.getKey())) {
                continue;
            }
            List<String> settings = new ArrayList<>(overrides);
            settings.addAll(network.getValue());
            Map<String, Object> efftrain = TrainerThroughputBench.run(configFile, settings, steps, ticker, progress);
            List<String> withLimit = new ArrayList<>(settings);
            withLimit.add("train.budget.steps=1");
            EfftrainConfig config = ConfigLoader.load(configFile, withLimit);
            double flopsPerExample = new Trainer(config, new InputShape(1, 28, 28), 10).flopsPerExample();
            double ours = (double) efftrain.get("spark_trainer_2_workers_samples_per_s");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("network", network.getKey());
            row.put("batch_size", config.train().batchSize());
            row.put("efftrain_samples_per_s", ours);
            row.put("efftrain_single_jvm_dl4j_samples_per_s", efftrain.get("single_jvm_dl4j_samples_per_s"));
            row.put("efftrain_share_of_gemm_peak", ours * flopsPerExample / 1e9 / peak);
            if (torch != null) {
                Map<String, Object> peer = runPeer(script, network.getKey(), config, steps);
                double theirs = ((Number) peer.get("samples_per_s")).doubleValue();
                row.put("pytorch_samples_per_s", theirs);
                row.put("ratio_to_pytorch", ours / theirs);
                row.put("pytorch_parameters", peer.get("parameters"));
            }
            rows.add(row);
            progress.printf(Locale.ROOT, "[peers] %-9s efftrain %8.0f samples/s  PyTorch %8s  ratio %5s  peak share %5.1f %%%n",
                    network.getKey(), ours, row.containsKey("pytorch_samples_per_s")
                            ? String.format(Locale.ROOT, "%.0f", (double) row.get("pytorch_samples_per_s")) : "-",
                    row.containsKey("ratio_to_pytorch")
                            ? String.format(Locale.ROOT, "%.2fx", (double) row.get("ratio_to_pytorch")) : "-",
                    100 * (double) row.get("efftrain_share_of_gemm_peak"));
        }
        bench.put("networks", rows);
        return bench;
    }

    private static Map<String, Object> runPeer(Path script, String network, EfftrainConfig config, long steps) {
        var model = config.model();
        var optimizer = config.train().optimizer();
        List<String> command = new ArrayList<>(List.of(python(), script.toString(),
                "--network", network.startsWith("resnet") ? "resnet" : network,
                "--images", config.data().idx().trainImages(), "--labels", config.data().idx().trainLabels(),
                "--batch", Integer.toString(config.train().batchSize()), "--steps", Long.toString(steps),
                "--threads", "2", "--optimizer", optimizer.type().name().toLowerCase(Locale.ROOT),
                "--lr", Double.toString(optimizer.learningRate()), "--momentum", Double.toString(optimizer.momentum()),
                "--lenet", Integer.toString(model.lenetConv1Channels()), Integer.toString(model.lenetConv2Channels()),
                Integer.toString(model.lenetDenseUnits()), "--stem", Integer.toString(model.resnetStemChannels()),
                "--blocks", Integer.toString(model.resnetBlocksPerStage()), "--vit-pool",
                model.vit().classToken() ? "class" : "average", "--vit", Integer.toString(model.vit().patch()),
                Integer.toString(model.vit().width()), Integer.toString(model.vit().depth()),
                Integer.toString(model.vit().heads()), Integer.toString(model.vit().mlpUnits())));
        command.add("--hidden");
        model.mlpHidden().forEach(h -> command.add(Integer.toString(h)));
        command.add("--stages");
        model.resnetStageChannels().forEach(c -> command.add(Integer.toString(c)));
        try {
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
            builder.environment().put("OMP_NUM_THREADS", "2");
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new IllegalStateException("the PyTorch peer failed for " + network + ":\n" + out);
            }
            String last = out.strip().lines().reduce((a, b) -> b).orElse("{}");
            @SuppressWarnings("unchecked")
            Map<String, Object> result = io.efftrain.pipeline.run.Json.mapper().readValue(last, Map.class);
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run the PyTorch peer", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the PyTorch peer ran", e);
        }
    }

    /** PyTorch's version, or null where python3 cannot import it. */
    static String torchVersion() {
        try {
            Process p = new ProcessBuilder(python(), "-c", "import torch; print(torch.__version__)")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Where the system's libblas.so.3 leads (Debian's alternatives), or "unknown". */
    static String systemBlas() {
        try {
            return Path.of("/usr/lib/x86_64-linux-gnu/libblas.so.3").toRealPath().toString();
        } catch (IOException e) {
            return "unknown";
        }
    }

    /**
     * The interpreter: {@code EFFTRAIN_PYTHON} if set, else Debian's {@code /usr/bin/python3} (where
     * {@code python3-torch} installs PyTorch, whatever python3 comes first on the PATH), else {@code python3}.
     */
    static String python() {
        String chosen = System.getenv("EFFTRAIN_PYTHON");
        if (chosen != null && !chosen.isBlank()) {
            return chosen;
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    private static Path extractScript() {
        try (InputStream in = PeerBench.class.getResourceAsStream("/io/efftrain/jobs/bench/torch_peer.py")) {
            if (in == null) {
                throw new IllegalStateException("torch_peer.py is missing from the efftrain-jobs jar");
            }
            Path file = Files.createTempFile("efftrain-torch-peer", ".py");
            file.toFile().deleteOnExit();
            Files.write(file, in.readAllBytes());
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the PyTorch peer script", e);
        }
    }
}
