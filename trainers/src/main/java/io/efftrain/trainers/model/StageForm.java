package io.efftrain.trainers.model;

/** Which version of a stage a graph holds. */
public enum StageForm {
    /** The stage of the model being trained. */
    TARGET,
    /** The meta model's small stand-in: same input and output shapes, far fewer layers. */
    META
}
