package org.dcsm.bench.backprop;

import org.dcsm.backprop.net.FcnLayers;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration.ListBuilder;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * Networks for the backprop benchmarks, built to the saliency network contract (named layers, fc8 the
 * class score map, then global max pooling and sigmoid cross-entropy) with seeded random weights:
 * ImageNet weights cannot be downloaded here, and the timing does not depend on the values.
 * Pooling floors (DL4J Truncate mode), as the PyTorch baseline's {@code ceil_mode=False}.
 */
public final class BenchNets {

    private BenchNets() {
    }

    /** VGG-16 as an FCN: 13 3×3 convolutions, 5 max pools, fc6 7×7 (4096), fc7 1×1 (4096), fc8 1×1. */
    public static MultiLayerNetwork vgg16Fcn(int classes, long seed) {
        int[][] blocks = {{64, 64}, {128, 128}, {256, 256, 256}, {512, 512, 512}, {512, 512, 512}};
        return build(blocks, 7, 4096, classes, seed, 224);
    }

    /**
     * A small VGG-style FCN (13 convolutions of 16-32-64-128-128 channels, 1×1 fc6/fc7 of 256), the size
     * that trains from scratch on a laptop CPU.
     */
    public static MultiLayerNetwork smallFcn(int classes, long seed) {
        int[][] blocks = {{16, 16}, {32, 32}, {64, 64, 64}, {128, 128, 128}, {128, 128, 128}};
        return build(blocks, 1, 256, classes, seed, 64);
    }

    private static MultiLayerNetwork build(int[][] blocks, int fc6Kernel, int fcWidth, int classes, long seed,
                                           int inputSize) {
        ListBuilder list = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                .weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Truncate).list();
        int nIn = 3;
        for (int b = 0; b < blocks.length; b++) {
            for (int c = 0; c < blocks[b].length; c++) {
                list.layer(new ConvolutionLayer.Builder(3, 3).padding(1, 1).nIn(nIn).nOut(blocks[b][c])
                        .activation(Activation.RELU).name(FcnLayers.conv(b + 1, c + 1)).build());
                nIn = blocks[b][c];
            }
            list.layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                    .name(FcnLayers.pool(b + 1)).build());
        }
        list.layer(new ConvolutionLayer.Builder(fc6Kernel, fc6Kernel).nIn(nIn).nOut(fcWidth)
                .activation(Activation.RELU).name(FcnLayers.FC6).build());
        list.layer(new ConvolutionLayer.Builder(1, 1).nIn(fcWidth).nOut(fcWidth).activation(Activation.RELU)
                .name(FcnLayers.FC7).build());
        list.layer(new ConvolutionLayer.Builder(1, 1).nIn(fcWidth).nOut(classes).activation(Activation.IDENTITY)
                .name(FcnLayers.FC8).build());
        list.layer(new GlobalPoolingLayer.Builder(PoolingType.MAX).name("gmp").build());
        list.layer(new LossLayer.Builder(LossFunctions.LossFunction.XENT).activation(Activation.SIGMOID)
                .name("loss").build());
        list.setInputType(InputType.convolutional(inputSize, inputSize, 3));
        MultiLayerNetwork net = new MultiLayerNetwork(list.build());
        net.init();
        return net;
    }

    /** A seeded random preprocessed image {@code 1×3×h×w}, values in [-100, 100) like mean-subtracted BGR. */
    public static INDArray image(long seed, int h, int w) {
        org.nd4j.linalg.api.rng.Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        return Nd4j.rand(rng, 1, 3, h, w).muli(200).subi(100);
    }
}
