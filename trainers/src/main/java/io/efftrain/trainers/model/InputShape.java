package io.efftrain.trainers.model;

import java.io.Serializable;

/**
 * The shape of one example as the network sees it: channels x rows x columns (an MLP sees the flattened vector).
 *
 * @param channels colour channels (1 for grey)
 * @param rows image height
 * @param columns image width
 */
public record InputShape(int channels, int rows, int columns) implements Serializable {
    /** Values per example. */
    public int size() {
        return channels * rows * columns;
    }
}
