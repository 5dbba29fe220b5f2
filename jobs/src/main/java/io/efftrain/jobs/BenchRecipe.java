package io.efftrain.jobs;

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
record BenchRecipe(String name, String model, List<String> overrides, boolean usesScores) {
    static final String BASELINE = "e2e";

    /**
     * The recipes, each changing one thing against the plain end-to-end baseline (full data, a step schedule:
     * the standard schedule that does not know the budget), then the best combination of those.
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
        List<BenchRecipe> recipes = new ArrayList<>();
        recipes.add(new BenchRecipe(BASELINE, "lenet", List.of("train.schedule=step"), false));
        recipes.add(new BenchRecipe("budget-schedule-rex", "lenet", rex, false));
        recipes.add(new BenchRecipe("static-pruning-el2n-70", "lenet", prune, true));
        recipes.add(new BenchRecipe("infobatch", "lenet", infobatch, false));
        List<String> combined = new ArrayList<>(rex);
        combined.addAll(infobatch);
        recipes.add(new BenchRecipe("rex+infobatch", "lenet", combined, false));
        if (!quick) {
            List<String> resnet = List.of("model.resnet.stem-channels=16", "model.resnet.stage-channels=[16,32,64]",
                    "model.resnet.blocks-per-stage=3", "train.optimizer.learning-rate=0.003", "train.budget.epochs=2");
            List<String> e2eResnet = new ArrayList<>(resnet);
            e2eResnet.add("train.schedule=step");
            recipes.add(new BenchRecipe("e2e-resnet", "resnet", e2eResnet, false));
            List<String> incubation = new ArrayList<>(resnet);
            incubation.addAll(List.of("incubation.enabled=true",
                    "incubation.meta.budget={epochs = 1, wall-clock = null}",
                    "incubation.modules.budget={epochs = 0.5, wall-clock = null}",
                    "incubation.fine-tune.budget={epochs = 1, wall-clock = null}"));
            recipes.add(new BenchRecipe("deep-incubation", "resnet", incubation, false));
        }
        return recipes;
    }
}
