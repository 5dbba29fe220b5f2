package io.efftrain.trainers.algorithms.infobatch;

import io.efftrain.trainers.averaging.Permutations;
import java.util.SplittableRandom;

/**
 * InfoBatch's choice for one epoch (Qin et al., ICLR 2024), as a pure function of the examples' scores (their
 * latest training losses). An example scoring below the mean of the scores seen so far is well learned; each such
 * example is skipped with probability {@code pruneRatio}, and the ones kept weigh {@code 1 / (1 - pruneRatio)}, so
 * the expected gradient over the well-learned examples stays what it was (the paper's expectation rescaling).
 * Examples never scored (a score of {@code +infinity}, as at the start) are never well learned.
 */
public final class InfoBatch {
    private InfoBatch() {
    }

    /**
     * The examples of one epoch, per block.
     *
     * @param order per block, the kept examples' indices, shuffled
     * @param weights per block, aligned with {@code order}
     * @param skipped how many well-learned examples were skipped, over all blocks
     */
    public record Epoch(int[][] order, float[][] weights, long skipped) {
    }

    /** The mean of the finite scores, or {@code +infinity} when none is finite yet. */
    public static double meanScore(float[][] scores) {
        double sum = 0;
        long n = 0;
        for (float[] block : scores) {
            for (float s : block) {
                if (Float.isFinite(s)) {
                    sum += s;
                    n++;
                }
            }
        }
        return n == 0 ? Double.POSITIVE_INFINITY : sum / n;
    }

    /**
     * @param scores per block, each example's latest loss ({@code +infinity} if not seen yet)
     * @param pruneRatio the share of the well-learned examples to skip, in [0, 1)
     * @param seed the run seed; with {@code epoch} and the block it fixes every random choice
     * @param epoch the epoch being chosen
     */
    public static Epoch prune(float[][] scores, double pruneRatio, long seed, long epoch) {
        double mean = meanScore(scores);
        float upWeight = (float) (1 / (1 - pruneRatio));
        int[][] order = new int[scores.length][];
        float[][] weights = new float[scores.length][];
        long skipped = 0;
        for (int b = 0; b < scores.length; b++) {
            SplittableRandom random = random(seed, epoch, b);
            float[] s = scores[b];
            int[] kept = new int[s.length];
            float[] keptWeights = new float[s.length];
            int n = 0;
            for (int i = 0; i < s.length; i++) {
                boolean wellLearned = s[i] < mean;
                if (wellLearned && random.nextDouble() < pruneRatio) {
                    skipped++;
                    continue;
                }
                kept[n] = i;
                keptWeights[n++] = wellLearned ? upWeight : 1f;
            }
            int[] shuffle = Permutations.shuffled(n, random);
            order[b] = new int[n];
            weights[b] = new float[n];
            for (int i = 0; i < n; i++) {
                order[b][i] = kept[shuffle[i]];
                weights[b][i] = keptWeights[shuffle[i]];
            }
        }
        return new Epoch(order, weights, skipped);
    }

    /** Every example of every block, shuffled: the epochs after annealing (and the first). */
    public static int[][] all(int[] blockSizes, long seed, long epoch) {
        int[][] order = new int[blockSizes.length][];
        for (int b = 0; b < blockSizes.length; b++) {
            order[b] = Permutations.shuffled(blockSizes[b], random(seed, epoch, b));
        }
        return order;
    }

    private static SplittableRandom random(long seed, long epoch, int block) {
        return new SplittableRandom((seed * 0x9E3779B97F4A7C15L + epoch) * 0xBF58476D1CE4E5B9L + block);
    }
}
