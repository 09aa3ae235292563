package org.dcsm.backprop.saliency;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** Small networks following the saliency network contract, for the tests. */
final class TestNets {

    private TestNets() {
    }

    /**
     * A tiny VGG-style FCN: conv1_1, conv1_2 (3×3 same, ReLU), pool1 (2×2/2, Same mode: ceil), conv2_1
     * (3×3 same, ReLU), pool2 (2×2/2, Truncate mode: floor), fc6 (3×3 valid, ReLU), fc7 (1×1, ReLU), fc8
     * (1×1 to {@code classes}, identity), gmp, loss. Minimum input 11×11. Biases are random (not zero) so that ReLU masks are non-trivial.
     */
    static MultiLayerNetwork tinyFcn(DataType type, long seed, int classes) {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(seed).dataType(type).weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(conv("conv1_1", 3, 3, 5, Activation.RELU))
                .layer(conv("conv1_2", 3, 5, 5, Activation.RELU))
                .layer(pool("pool1", ConvolutionMode.Same))
                .layer(conv("conv2_1", 3, 5, 6, Activation.RELU))
                .layer(pool("pool2", ConvolutionMode.Truncate))
                .layer(new ConvolutionLayer.Builder(3, 3).nIn(6).nOut(8).convolutionMode(ConvolutionMode.Truncate)
                        .activation(Activation.RELU).name("fc6").build())
                .layer(conv("fc7", 1, 8, 8, Activation.RELU))
                .layer(conv("fc8", 1, 8, classes, Activation.IDENTITY))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).name("gmp").build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID)
                        .name("loss").build())
                .setInputType(InputType.convolutional(16, 16, 3))
                .build());
        net.init();
        randomBiases(net, seed);
        return net;
    }

    /**
     * The smallest FCN, to count memory by hand: c1 (3×3 same, 3 → 2, ReLU), p1 (2×2/2, floor), fc8 (1×1,
     * 2 → 2, identity), gmp, loss. Minimum input 2×2.
     */
    static MultiLayerNetwork oneConvFcn() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder()
                .seed(1).dataType(DataType.FLOAT).weightInit(WeightInit.XAVIER).convolutionMode(ConvolutionMode.Same)
                .list()
                .layer(conv("c1", 3, 3, 2, Activation.RELU))
                .layer(pool("p1", ConvolutionMode.Truncate))
                .layer(conv("fc8", 1, 2, 2, Activation.IDENTITY))
                .layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).name("gmp").build())
                .layer(new LossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID)
                        .name("loss").build())
                .setInputType(InputType.convolutional(8, 8, 3))
                .build());
        net.init();
        return net;
    }

    static ConvolutionLayer conv(String name, int k, int nIn, int nOut, Activation act) {
        return new ConvolutionLayer.Builder(k, k).nIn(nIn).nOut(nOut).activation(act).name(name).build();
    }

    static SubsamplingLayer pool(String name, ConvolutionMode mode) {
        return new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).convolutionMode(mode)
                .name(name).build();
    }

    static void randomBiases(MultiLayerNetwork net, long seed) {
        org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed + 17);
        for (int i = 0; i < net.getnLayers(); i++) {
            INDArray b = net.getLayer(i).paramTable().get("b");
            if (b != null) {
                b.assign(Nd4j.rand(rng, b.shape()).castTo(b.dataType()).subi(0.3).muli(0.2));
            }
        }
    }

    /** A seeded random image {@code 1×3×h×w} of the given type, values in [-1, 1). */
    static INDArray image(DataType type, long seed, int h, int w) {
        org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        return Nd4j.rand(rng, 1, 3, h, w).castTo(type).muli(2).subi(1);
    }
}
