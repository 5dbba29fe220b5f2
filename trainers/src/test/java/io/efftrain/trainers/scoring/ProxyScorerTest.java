package io.efftrain.trainers.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.efftrain.pipeline.config.ConfigLoader;
import io.efftrain.pipeline.config.EfftrainConfig;
import io.efftrain.pipeline.data.ExampleBlock;
import io.efftrain.pipeline.scoring.ExampleScores;
import io.efftrain.pipeline.testing.FashionMnist;
import io.efftrain.trainers.Trainer;
import io.efftrain.trainers.averaging.BatchOrder;
import io.efftrain.trainers.averaging.NetworkState;
import io.efftrain.trainers.averaging.TrainRound;
import io.efftrain.trainers.model.InputShape;
import io.efftrain.trainers.network.Network;
import java.util.List;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The proxy's scores agree with their definitions, checked against DL4J's own outputs and gradients. */
class ProxyScorerTest {
    @Test
    void scoresMatchOutputsAndTheOutputLayerGradient() {
        EfftrainConfig config = ConfigLoader.load(null, List.of("model.type=mlp", "model.mlp.hidden=[32]",
                "train.optimizer.l2=0", "train.optimizer.type=adam", "train.optimizer.learning-rate=0.003"));
        Trainer trainer = new Trainer(config, new InputShape(1, 28, 28), 10);
        Network network = trainer.newNetwork();
        MultiLayerNetwork net = (MultiLayerNetwork) network.model();
        ExampleBlock block = FashionMnist.block(true, 256);
        BatchOrder order = new BatchOrder(1, 0, block.size(), 64);
        for (int step = 0; step < 30; step++) {
            net.fit(TrainRound.minibatch(block, order, step, 10));
        }
        ExampleScores scores = new ProxyScorer(trainer.spec(), NetworkState.capture(network)).score(block);

        int correct = 0;
        for (int i = 0; i < 20; i++) {
            DataSet one = TrainRound.minibatch(block.slice(i, 1), new BatchOrder(1, 0, 1, 1), 0, 10);
            INDArray p = net.output(one.getFeatures(), false);
            int label = block.label(i);
            assertEquals(-Math.log(p.getDouble(0, label)), scores.loss()[i], 1e-4);
            double el2n = p.sub(one.getLabels()).norm2Number().doubleValue();
            assertEquals(el2n, scores.el2n()[i], 1e-5);
            double best = -1;
            for (int c = 0; c < 10; c++) {
                if (c != label) {
                    best = Math.max(best, p.getDouble(0, c));
                }
            }
            assertEquals(p.getDouble(0, label) - best, scores.margin()[i], 1e-5);
            assertEquals(p.getDouble(0, label) > best, scores.correct()[i]);
            correct += scores.correct()[i] ? 1 : 0;

            // GraNd: the norm of this example's gradient over the output layer's W and b, from DL4J.
            net.setInput(one.getFeatures());
            net.setLabels(one.getLabels());
            net.computeGradientAndScore();
            int output = net.getnLayers() - 1;
            double w = net.gradient().getGradientFor(output + "_W").norm2Number().doubleValue();
            double b = net.gradient().getGradientFor(output + "_b").norm2Number().doubleValue();
            assertEquals(Math.sqrt(w * w + b * b), scores.grand()[i], 1e-4 * Math.max(1, scores.grand()[i]));
        }
        assertTrue(correct > 10, "the proxy has learned something: " + correct + "/20");
    }
}
