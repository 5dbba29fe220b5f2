package io.efftrain.trainers.incubation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.pipeline.budget.Ticker;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.ParameterState;
import io.efftrain.trainers.checkpoint.CheckpointStore;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.model.Models;
import io.efftrain.trainers.model.StageForm;
import io.efftrain.trainers.model.StagedGraphs.StagedGraph;
import io.efftrain.trainers.network.Network;
import io.efftrain.trainers.network.NetworkSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The graphs of Deep Incubation fit together: meta model, hybrids and target share their stage interfaces; a
 * hybrid's module task updates only its own stage (BatchNorm statistics of the others included); assembly puts
 * exactly the trained stages into the target; the target is the very graph model.type = resnet trains.
 */
class IncubationModelsTest {
    private static final InputShape SHAPE = new InputShape(1, 28, 28);
    private static final EfftrainConfig CONFIG = ConfigLoader.load(null, List.of("model.type=resnet",
            "model.resnet.stem-channels=8", "model.resnet.stage-channels=[8, 16, 16]",
            "model.resnet.blocks-per-stage=2", "train.optimizer.type=adam", "train.optimizer.learning-rate=0.003",
            "train.batch-size=32", "train.steps-per-round=2", "incubation.modules.budget.epochs=null",
            "incubation.modules.budget.steps=6", "incubation.modules.checkpoint-every-rounds=1"));

    @TempDir
    Path dir;

    private static IncubationModels models() {
        return IncubationModels.of(CONFIG, SHAPE, 10);
    }

    @Test
    void metaHybridsAndTargetHaveEqualShapesAtEveryStageBoundary() {
        IncubationModels models = models();
        assertEquals(3, models.stages());
        INDArray x = FashionMnistBatch.features(4);
        List<StagedGraph> graphs = new ArrayList<>(List.of(models.meta(), models.target()));
        for (int s = 0; s < 3; s++) {
            graphs.add(models.hybrid(s));
        }
        List<long[]> expected = null;
        for (StagedGraph graph : graphs) {
            ComputationGraph net = (ComputationGraph) NetworkSpec.of(graph.configuration()).build().model();
            Map<String, INDArray> activations = net.feedForward(x, false);
            List<long[]> shapes = graph.stageOutputs().stream().map(v -> activations.get(v).shape()).toList();
            if (expected == null) {
                expected = shapes;
            }
            for (int s = 0; s < 3; s++) {
                assertArrayEquals(expected.get(s), shapes.get(s), "stage " + s + " of " + graph.forms());
            }
        }
        long metaParams = NetworkSpec.of(models.meta().configuration()).build().params().length();
        long targetParams = NetworkSpec.of(models.target().configuration()).build().params().length();
        assertTrue(targetParams > 1.5 * metaParams, metaParams + " vs " + targetParams);
    }

    @Test
    void theTargetIsTheGraphModelTypeResnetBuilds() {
        NetworkSpec plain = Models.build(CONFIG.model(), CONFIG.train().optimizer(), CONFIG.train().precision(), SHAPE,
                10, CONFIG.run().seed());
        assertEquals(plain, NetworkSpec.of(models().target().configuration()));
        assertEquals(List.of(StageForm.META, StageForm.TARGET, StageForm.META), models().hybrid(1).forms());
    }

    @Test
    void aModuleTaskUpdatesOnlyItsStageAndAssemblyCopiesExactlyTheTrainedStages() {
        IncubationModels models = models();
        StagedGraph meta = models.meta();
        // A meta model whose BatchNorm statistics are not the initial ones, so drift would show.
        Network metaNet = NetworkSpec.of(meta.configuration()).build();
        metaNet.params().addi(0.01);
        ParameterState trainedMeta = NetworkState.capture(metaNet);
        ExampleBlock block = FashionMnist.block(true, 256);
        List<StageParameters> trained = new ArrayList<>();
        for (int module = 0; module < 3; module++) {
            ModuleTask task = ModuleTasks.of(CONFIG, models, meta, trainedMeta, module, SHAPE, dir, () -> block);
            ModuleResult result = ModuleRunner.run(task, ModuleTaskListener.NONE, Ticker.system());
            assertEquals(6, result.steps());
            assertEquals(1, result.attempts());

            StagedGraph hybrid = models.hybrid(module);
            Network start = NetworkSpec.of(hybrid.configuration()).build();
            NetworkState.load(start, task.initial());
            Network end = NetworkSpec.of(hybrid.configuration()).build();
            NetworkState.load(end, new CheckpointStore(Path.of(task.directory()).resolve("checkpoint")).load()
                    .orElseThrow().model());
            for (int s = 0; s < 3; s++) {
                StageParameters before = StageParameters.capture(start, hybrid.stageLayers().get(s));
                StageParameters after = StageParameters.capture(end, hybrid.stageLayers().get(s));
                if (s == module) {
                    assertFalse(before.sameAs(after), "stage " + s + " trains in hybrid " + module);
                } else {
                    assertTrue(after.sameAs(before), "stage " + s + " is unchanged in hybrid " + module);
                    assertTrue(after.sameAs(StageParameters.capture(metaNet, meta.stageLayers().get(s))),
                            "stage " + s + " of hybrid " + module + " is the trained meta stage");
                }
            }
            StageParameters saved = StageParameters.load(Path.of(task.directory()).resolve(ModuleRunner.STAGE_FILE));
            assertTrue(saved.sameAs(StageParameters.capture(end, hybrid.stageLayers().get(module))));
            assertTrue(saved.layers().keySet().stream().anyMatch(name -> name.endsWith("bn")), "BatchNorm moves too");
            trained.add(saved);
        }
        StagedGraph target = models.target();
        Network assembled = NetworkSpec.of(target.configuration()).build();
        NetworkState.load(assembled, IncubationModels.assemble(target, trained));
        long copied = 0;
        for (int s = 0; s < 3; s++) {
            assertTrue(StageParameters.capture(assembled, target.stageLayers().get(s)).sameAs(trained.get(s)));
            copied += trained.get(s).count();
        }
        assertEquals(assembled.params().length(), copied, "every target parameter comes from a module");
    }

    /** A few real test images as a DL4J batch. */
    private static final class FashionMnistBatch {
        static INDArray features(int n) {
            ExampleBlock block = FashionMnist.block(false, n);
            float[] x = new float[n * block.featureSize()];
            int[] order = new int[n];
            for (int i = 0; i < n; i++) {
                order[i] = i;
            }
            block.fillFeatures(order, 0, n, x);
            return org.nd4j.linalg.factory.Nd4j.create(x, new long[] {n, block.featureSize()}, 'c');
        }
    }
}
