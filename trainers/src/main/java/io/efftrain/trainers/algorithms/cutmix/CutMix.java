package io.efftrain.trainers.algorithms.cutmix;

/**
 * CutMix (Yun et al., 2019): a rectangle of every image is replaced by the same rectangle of a partner image;
 * the labels mix in proportion to the pasted area.
 */
public final class CutMix {
    private CutMix() {
    }

    /**
     * Pastes, in place, rows [top, top+height) and columns [left, left+width) of each partner into each image.
     * Images are {@code channels x rows x columns}, row-major.
     *
     * @return the fraction of each image that was replaced
     */
    public static double apply(float[] features, float[] labels, int count, int channels, int rows, int columns,
                               int classes, int top, int left, int height, int width, int[] partner) {
        int featureSize = channels * rows * columns;
        float[] x = features.clone();
        float[] y = labels.clone();
        for (int i = 0; i < count; i++) {
            int j = partner[i];
            for (int ch = 0; ch < channels; ch++) {
                for (int r = top; r < top + height; r++) {
                    int offset = ch * rows * columns + r * columns + left;
                    System.arraycopy(x, j * featureSize + offset, features, i * featureSize + offset, width);
                }
            }
        }
        double pasted = (double) height * width / (rows * columns);
        float keep = (float) (1 - pasted);
        float take = (float) pasted;
        for (int i = 0; i < count; i++) {
            for (int c = 0; c < classes; c++) {
                labels[i * classes + c] = keep * y[i * classes + c] + take * y[partner[i] * classes + c];
            }
        }
        return pasted;
    }
}
