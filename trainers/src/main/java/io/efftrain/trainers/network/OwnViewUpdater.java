package io.efftrain.trainers.network;

import java.util.List;
import java.util.Map;
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
 * about 5 % of a step (JFR). The ordinary path uses views made once. Both paths update the same memory with the
 * same operations, so training is unchanged to the bit (OwnViewUpdaterTest).
 */
final class OwnViewUpdater extends MultiLayerUpdater {
    private static final long serialVersionUID = 1L;
    private long ordinaryUpdates;

    /** Takes over {@code state}, the updater state of the updater this one replaces (null before training). */
    OwnViewUpdater(MultiLayerNetwork network, INDArray state) {
        super(network, state);
    }

    @Override
    public synchronized void update(Gradient gradient, int iteration, int epoch, int batchSize,
                                    LayerWorkspaceMgr workspaceMgr) {
        INDArray own = getFlattenedGradientsView();
        if (own != null && sameMemory(gradient.gradient(), own)) {
            ordinaryUpdates++;
            super.update(new OwnView(gradient, own), iteration, epoch, batchSize, workspaceMgr);
        } else {
            super.update(gradient, iteration, epoch, batchSize, workspaceMgr);
        }
    }

    /** How many updates took the ordinary path (a test's evidence that the gradient was recognised). */
    long ordinaryUpdates() {
        return ordinaryUpdates;
    }

    private static boolean sameMemory(INDArray a, INDArray b) {
        return a != null && a.length() == b.length() && a.dataType() == b.dataType()
                && start(a) == start(b) && a.elementWiseStride() == 1 && b.elementWiseStride() == 1;
    }

    private static long start(INDArray array) {
        return array.data().address() + array.offset() * array.data().getElementSize();
    }

    /** The network's gradient with its flat form as the network's own view object. */
    private record OwnView(Gradient delegate, INDArray flat) implements Gradient {
        @Override
        public Map<String, INDArray> gradientForVariable() {
            return delegate.gradientForVariable();
        }

        @Override
        public INDArray gradient(List<String> order) {
            return delegate.gradient(order);
        }

        @Override
        public INDArray gradient() {
            return flat;
        }

        @Override
        public void clear() {
            delegate.clear();
        }

        @Override
        public INDArray getGradientFor(String variable) {
            return delegate.getGradientFor(variable);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient) {
            return delegate.setGradientFor(variable, gradient);
        }

        @Override
        public INDArray setGradientFor(String variable, INDArray gradient, Character flatteningOrder) {
            return delegate.setGradientFor(variable, gradient, flatteningOrder);
        }

        @Override
        public Character flatteningOrderForVariable(String variable) {
            return delegate.flatteningOrderForVariable(variable);
        }
    }
}
