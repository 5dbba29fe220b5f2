package io.efftrain.jobs.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which recipes warm the JVM up before the timed runs: one per network and kernel setting. */
class BenchWarmUpTest {
    @Test
    void theFullBenchmarkWarmsUpEachKindOfTrainingCodeOnce() {
        List<String> names = BenchWarmUp.representatives(BenchRecipe.standard(false)).stream()
                .map(BenchRecipe::name).toList();
        // DL4J's layers (the baseline), the fast CPU path (every other LeNet recipe), the ResNet (its baseline and
        // Deep Incubation).
        assertEquals(List.of("e2e", "e2e-fast-cpu", "e2e-resnet"), names);
    }

    @Test
    void recipesThatNeedScoresOrIncubationDoNotStandForTheirKind() {
        List<BenchRecipe> recipes = List.of(
                new BenchRecipe("pruned", "lenet", List.of("sampling.selection.keep-fraction=0.7"), true),
                new BenchRecipe("incubated", "resnet", List.of("incubation.enabled=true"), false),
                new BenchRecipe("plain-dl4j", "lenet", List.of("model.kernels=auto", "model.kernels=dl4j"), false),
                new BenchRecipe("plain", "lenet", List.of(), false),
                new BenchRecipe("resnet", "resnet", List.of("train.schedule=step"), false),
                new BenchRecipe("plain-again", "lenet", List.of("train.schedule=rex"), false));
        // The last kernels setting of a recipe wins, as it does in the config.
        assertEquals(List.of("plain-dl4j", "plain", "resnet"),
                BenchWarmUp.representatives(recipes).stream().map(BenchRecipe::name).toList());
    }
}
