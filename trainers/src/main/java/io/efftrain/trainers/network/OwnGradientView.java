package io.efftrain.trainers.network;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.gradient.Gradient;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A network's gradient with its flat form as the network's own gradient view object, for DL4J's updaters, which
 * recognise their network's gradient by identity (see {@link OwnViewUpdater}).
 */
record OwnGradientView(Gradient delegate, INDArray flat) implements Gradient {
    /**
     * What an updater updates with: {@code gradient} with {@code own} (the network's gradient view) as its flat
     * form when it is that memory, else {@code gradient} unchanged; counts the first case, a test's evidence that
     * the gradient was recognised. Serializable, as the updaters that hold it are.
     */
    static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;
        private long ownViews;

        Gradient forUpdate(Gradient gradient, INDArray own) {
            if (own == null || !sameMemory(gradient.gradient(), own)) {
                return gradient;
            }
            ownViews++;
            return new OwnGradientView(gradient, own);
        }

        /** How many updates took the ordinary path. */
        long ownViews() {
            return ownViews;
        }
    }

    private static boolean sameMemory(INDArray a, INDArray b) {
        return a != null && a.length() == b.length() && a.dataType() == b.dataType()
                && start(a) == start(b) && a.elementWiseStride() == 1 && b.elementWiseStride() == 1;
    }

    private static long start(INDArray array) {
        return array.data().address() + array.offset() * array.data().getElementSize();
    }

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
