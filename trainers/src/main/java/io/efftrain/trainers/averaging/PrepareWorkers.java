package io.efftrain.trainers.averaging;

import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.trainers.network.NetworkSpec;

/**
 * Readies every worker before the training clock starts: builds its network into the JVM's pool and runs one
 * small forward pass, which is where a JVM's one-time costs fall (the fast CPU path compiles its vector kernels
 * there, about 3 s; DL4J allocates its workspaces). Without it those seconds land in the first round, so on the
 * budget's clock and in every time to accuracy, though no training happens in them. The shared value is unused
 * (every round loads its model anyway); returns the workers readied.
 */
public final class PrepareWorkers implements BlockTask<Integer, Integer> {
    private static final long serialVersionUID = 1L;
    private static final int EXAMPLES = 8;

    private final NetworkSpec spec;

    public PrepareWorkers(NetworkSpec spec) {
        this.spec = spec;
    }

    @Override
    public Integer apply(Integer unused, int blockIndex, ExampleBlock block) {
        return NetworkPool.withNetwork(spec, net -> {
            int count = Math.min(EXAMPLES, block.size());
            if (count > 0) {
                float[] features = new float[count * block.featureSize()];
                block.fillFeatures(Permutations.identity(count), 0, count, features);
                net.output(net.minibatchArrays().features(features, count, block.featureSize()), false);
            }
            return 1;
        });
    }
}
