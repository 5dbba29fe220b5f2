package io.efftrain.trainers.network;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.updater.graph.ComputationGraphUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's updater for a computation graph (the ResNet, Deep Incubation's models), handed the graph's own gradient
 * view so that it takes its ordinary path: {@link OwnViewUpdater}'s reason, for the graph's updater class.
 */
final class OwnViewGraphUpdater extends ComputationGraphUpdater {
    private static final long serialVersionUID = 1L;
    private final OwnGradientView.Tally ownViews = new OwnGradientView.Tally();

    /** Takes over {@code state}, the updater state of the updater this one replaces (null before training). */
    OwnViewGraphUpdater(ComputationGraph graph, INDArray state) {
        super(graph, state);
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        super.update(ownViews.forUpdate(gradient, getFlattenedGradientsView()), iteration, epoch, batchSize,
                workspaceMgr);
    }

    /** How many updates took the ordinary path (a test's evidence that the gradient was recognised). */
    long ordinaryUpdates() {
        return ownViews.ownViews();
    }
}
