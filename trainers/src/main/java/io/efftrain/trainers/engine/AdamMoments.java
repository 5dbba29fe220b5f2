package io.efftrain.trainers.engine;

import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The two moment arrays of an Adam-family updater (Adam on the host, LAMB) as views into DL4J's updater state:
 * the first half of the block's state view is m, the second v, which is the layout DL4J's own Adam uses, so the
 * state is averaged, broadcast and checkpointed like any other updater's.
 */
public final class AdamMoments {
    /** The state keys DL4J uses for Adam's moments. */
    public static final String M = "M";
    public static final String V = "V";
    private final String updater;
    private INDArray m;
    private INDArray v;

    /** @param updater the updater's name, for messages */
    public AdamMoments(String updater) {
        this.updater = updater;
    }

    /** The first moment. */
    public INDArray m() {
        return m;
    }

    /** The second moment. */
    public INDArray v() {
        return v;
    }

    /** {@code GradientUpdater.setState}: takes both arrays from {@code state}, zeroed if {@code initialize}. */
    public void setState(Map<String, INDArray> state, boolean initialize) {
        m = state.get(M);
        v = state.get(V);
        if (m == null || v == null) {
            throw new IllegalStateException(updater + " state needs " + M + " and " + V + ": " + state.keySet());
        }
        if (initialize) {
            m.assign(0);
            v.assign(0);
        }
    }

    /** {@code GradientUpdater.getState}. */
    public Map<String, INDArray> getState() {
        return Map.of(M, m, V, v);
    }

    /** {@code GradientUpdater.setStateViewArray}: m and v as the two halves of {@code viewArray}. */
    public void setStateViewArray(INDArray viewArray, boolean initialize) {
        if (initialize) {
            viewArray.assign(0);
        }
        long half = viewArray.length() / 2;
        INDArray flat = viewArray.reshape(viewArray.length());
        m = flat.get(NDArrayIndex.interval(0, half));
        v = flat.get(NDArrayIndex.interval(half, 2 * half));
    }
}
