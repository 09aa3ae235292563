package org.dcsm.backprop.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;

import org.dcsm.core.ClassList;
import org.deeplearning4j.common.resources.DL4JResources;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class PretrainedVgg16Test {

    /** Two conv blocks (4, 8 channels), pool to 2×2, dense 32→6→5→3: a tiny VGG-like classifier of 8×8 inputs. */
    private static final VggStyleFcn TINY = VggStyleFcn.builder().name("TinyVgg").blockWidths(4, 8).blockDepths(1, 1)
            .fc6Width(6).fc7Width(5).fc6Kernel(2).fc6Padding(0).build();

    private static MultiLayerNetwork tinyClassifier(CNN2DFormat format) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1).dataFormat(format)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(format).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).padding(1, 1).dataFormat(format)
                        .convolutionMode(ConvolutionMode.Truncate).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2)
                        .dataFormat(format).build())
                .layer(new DenseLayer.Builder().nOut(6).activation(Activation.RELU).build())
                .layer(new DenseLayer.Builder().nOut(5).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(3)
                        .activation(Activation.IDENTITY).build())
                .setInputType(InputType.convolutional(8, 8, 3, format)).build();
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        // non-zero biases so that a wrongly copied bias shows
        for (org.deeplearning4j.nn.api.Layer l : net.getLayers()) {
            if (l.numParams() > 0) {
                l.getParam("b").assign(Nd4j.randn(DataType.FLOAT, l.getParam("b").shape()).muli(0.1));
            }
        }
        return net;
    }

    @ParameterizedTest
    @ValueSource(strings = {"NCHW", "NHWC"})
    void denseLayersBecomeEquivalentConvolutions(String formatName) {
        CNN2DFormat format = CNN2DFormat.valueOf(formatName);
        Nd4j.getRandom().setSeed(21);
        MultiLayerNetwork classifier = tinyClassifier(format);
        assertThat(PretrainedVgg16.flattensChannelsLast(classifier)).isEqualTo(format == CNN2DFormat.NHWC);
        MultiLayerNetwork fcn = TINY.buildInferenceNetwork(3, 5);
        PretrainedVgg16.copyClassifierWeights(classifier, TINY, fcn);
        FcnModel model = FcnModel.of(fcn, ClassList.of("bg", "a", "b", "c"), TINY);

        INDArray input = Nd4j.randn(DataType.FLOAT, 4, 3, 8, 8);
        INDArray sourceInput = format == CNN2DFormat.NHWC ? input.permute(0, 2, 3, 1).dup('c') : input;
        INDArray expected = classifier.output(sourceInput, false);
        INDArray map = model.scoreMap(input);
        assertThat(map.shape()).containsExactly(4, 3, 1, 1);
        INDArray actual = map.reshape(4, 3);
        double scale = expected.amaxNumber().doubleValue();
        assertThat(scale).isGreaterThan(0.01);
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-5 * Math.max(1, scale));
    }

    @Test
    void denseToConvolutionIndexMappingByHand() {
        // 2 channels, 1x2 kernel, 1 output: flat CHW index c*2 + x
        INDArray w = Nd4j.create(new float[] {10, 11, 20, 21}, new long[] {4, 1}, 'c');
        INDArray chw = PretrainedVgg16.denseToConvolution(w, 2, 1, 2, false);
        assertThat(chw.shape()).containsExactly(1, 2, 1, 2);
        assertThat(chw.getFloat(0, 0, 0, 0)).isEqualTo(10f);
        assertThat(chw.getFloat(0, 0, 0, 1)).isEqualTo(11f);
        assertThat(chw.getFloat(0, 1, 0, 0)).isEqualTo(20f);
        // HWC: flat index x*2 + c
        INDArray hwc = PretrainedVgg16.denseToConvolution(w, 2, 1, 2, true);
        assertThat(hwc.getFloat(0, 0, 0, 0)).isEqualTo(10f);
        assertThat(hwc.getFloat(0, 1, 0, 0)).isEqualTo(11f);
        assertThat(hwc.getFloat(0, 0, 0, 1)).isEqualTo(20f);
        assertThat(hwc.getFloat(0, 1, 0, 1)).isEqualTo(21f);
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> PretrainedVgg16.denseToConvolution(w, 3, 1, 2, false));
        assertThat(bad.getMessage()).contains("[6, nOut]").contains("[4, 1]");
    }

    @Test
    void offlineZooFailsFastNamingUrlAndCacheFile(@TempDir Path dir) {
        String before = System.getProperty(PretrainedVgg16.OFFLINE_PROPERTY);
        DL4JResources.setBaseDirectory(dir.toFile());
        System.setProperty(PretrainedVgg16.OFFLINE_PROPERTY, "true");
        try {
            long t0 = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> PretrainedVgg16.fromZoo(ClassList.voc(), 1));
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5);
            assertThat(PretrainedVgg16.zooUrl()).endsWith("vgg16_dl4j_inference.zip");
            assertThat(PretrainedVgg16.zooCacheFile()).isEqualTo(dir.resolve("models").resolve("vgg16")
                    .resolve("vgg16_dl4j_inference.zip"));
            assertThat(e.getMessage()).contains("Download " + PretrainedVgg16.zooUrl())
                    .contains(PretrainedVgg16.zooCacheFile().toAbsolutePath().toString())
                    .contains("downloads are disabled");
        } finally {
            DL4JResources.resetBaseDirectoryLocation();
            if (before == null) {
                System.clearProperty(PretrainedVgg16.OFFLINE_PROPERTY);
            } else {
                System.setProperty(PretrainedVgg16.OFFLINE_PROPERTY, before);
            }
        }
    }

    @Test
    void missingKerasFileIsNamed(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class,
                () -> PretrainedVgg16.fromKerasHdf5(dir.resolve("vgg16.h5"), ClassList.voc(), 1));
        assertThat(e.getMessage()).contains("Keras HDF5 file not found").contains("vgg16.h5");
    }

    @Test
    void sourceWithWrongLayerCountIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PretrainedVgg16.copyClassifierWeights(tinyClassifier(CNN2DFormat.NCHW), Vgg16Fcn.architecture(),
                        TINY.buildInferenceNetwork(3, 1)));
        assertThat(e.getMessage()).isEqualTo("source has 2 convolutions and 3 dense layers; Vgg16Fcn needs 13 and 3");
    }
}
