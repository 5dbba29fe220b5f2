/**
 * efftrain as Spark ML stages: {@link io.efftrain.jobs.ml.EfftrainClassifier} trains efftrain's models on any
 * DataFrame with a features and a label column (inside a {@code Pipeline}, a {@code CrossValidator}, from
 * {@code spark-shell}), and {@link io.efftrain.jobs.ml.EfftrainClassificationModel} predicts with the result.
 * Training is the same parameter-averaging trainer, budget and schedule as {@code efftrain run}; only where the
 * examples come from differs (a DataFrame instead of a prepared canonical table on disk).
 */
package io.efftrain.jobs.ml;
