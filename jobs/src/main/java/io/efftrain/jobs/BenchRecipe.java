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
        return recipes;
    }
}
