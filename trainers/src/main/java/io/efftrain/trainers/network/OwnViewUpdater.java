package io.efftrain.trainers.network;

import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.MultiLayerUpdater;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's updater for a layer stack, handed the network's gradient as the very array it keeps, so that it takes
 * its ordinary path.
 *
 * <p>In 1.0.0-M2.1 {@code DefaultGradient.gradient()} returns a new reshaped view on every call, so
 * {@code BaseMultiLayerUpdater.update}, which compares that array by identity with the network's gradient view,
 * always takes its path for gradients computed in another network (RL4J's "external" gradients): every step it
 * cuts fresh views of every parameter and its gradient, twice, for regularisation the LeNet does not have, and
 * again to divide by the minibatch size. Each view allocates a native shape buffer; on the fast CPU path that was
 * about 5 % of a step's JFR samples, 3 % of its time measured. The ordinary path uses views made once. Both paths update the same memory with the
 * same operations, so training is unchanged to the bit (OwnViewUpdaterTest). {@link OwnViewGraphUpdater} does
 * the same for a {@code ComputationGraph}.
 */
final class OwnViewUpdater extends MultiLayerUpdater {
    private static final long serialVersionUID = 1L;
    private final OwnGradientView.Tally ownViews = new OwnGradientView.Tally();

    /** Takes over {@code state}, the updater state of the updater this one replaces (null before training). */
    OwnViewUpdater(MultiLayerNetwork network, INDArray state) {
        super(network, state);
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
