package org.dcsm.backprop.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;

class VggStyleFcnTest {

    private static final VggStyleFcn TINY = SmallVggFcn.architecture().toBuilder()
            .blockWidths(4, 8).blockDepths(1, 2).fc6Width(6).fc7Width(5).build();

    @Test
    void smallArchitectureWithOtherWidthsKeepsTheDepthsAndTakesTheHeadFromTheLastBlock() {
        VggStyleFcn w = SmallVggFcn.architecture(8, 16, 32, 64, 48);
        assertThat(w.blockWidths()).containsExactly(8, 16, 32, 64, 48);
        assertThat(w.blockDepths()).containsExactly(SmallVggFcn.architecture().blockDepths());
        assertThat(w.fc6Width()).isEqualTo(48);
        assertThat(w.fc7Width()).isEqualTo(48);
        assertThat(SmallVggFcn.architecture(16, 32, 64, 128, 128)).isEqualTo(SmallVggFcn.architecture());
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> SmallVggFcn.architecture(8, 8)).getMessage())
                .isEqualTo("widths must give the 5 blocks' channels, found 2");
    }

    @Test
    @SuppressWarnings("removal")
    void presetsAreInstancesAndToBuilderRoundTrips() {
        assertThat(VggStyleFcn.paper()).isEqualTo(Vgg16Fcn.architecture()).isNotEqualTo(Vgg16Fcn.architecture(3));
        assertThat(VggStyleFcn.paper().name()).isEqualTo(Vgg16Fcn.NAME);
        assertThat(VggStyleFcn.paper().toBuilder().build()).isEqualTo(VggStyleFcn.paper());
        VggStyleFcn small = SmallVggFcn.architecture();
        assertThat(small.toBuilder().build()).isEqualTo(small).isNotEqualTo(VggStyleFcn.paper());
        assertThat(small.name()).isEqualTo(SmallVggFcn.NAME);
        assertThat(small.blockWidths()).containsExactly(16, 32, 64, 128, 128);
        assertThat(small.blockDepths()).containsExactly(2, 2, 3, 3, 3);
        assertThat(SmallVggFcn.builder().build()).isEqualTo(small);
        assertThat(TINY.toBuilder().build()).isEqualTo(TINY).isNotEqualTo(small);
    }

    @Test
    void minimumInputAndScoreMapSizesByHand() {
        VggStyleFcn small = SmallVggFcn.architecture();
        assertThat(small.minimumInputSize()).isEqualTo(32);
        assertThat(small.scoreMapSide(31)).isEqualTo(0);
        assertThat(small.scoreMapSide(40)).isEqualTo(1);
        assertThat(small.scoreMapSide(64)).isEqualTo(2);
        VggStyleFcn vgg = Vgg16Fcn.architecture();
        assertThat(Vgg16Fcn.minimumInputSize()).isEqualTo(224);
        assertThat(vgg.scoreMapSide(224)).isEqualTo(1);
        assertThat(vgg.scoreMapSide(223)).isEqualTo(0);
        assertThat(vgg.scoreMapSide(500)).isEqualTo(15 - 7 + 1);
        assertThat(Vgg16Fcn.architecture(3).minimumInputSize()).isEqualTo(32);
        assertThat(Vgg16Fcn.architecture(3).scoreMapSide(500)).isEqualTo(15);
    }

    @Test
    void vgg16ConfigurationHasImageNetParameterCountAndShapesWithoutAllocating() {
        VggStyleFcn vgg = Vgg16Fcn.architecture();
        MultiLayerConfiguration conf = vgg.inferenceConfiguration(1000, 1);
        long params = 0;
        List<String> names = new ArrayList<>();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            params += conf.getConf(i).getLayer().initializer().numParams(conf.getConf(i));
            names.add(conf.getConf(i).getLayer().getLayerName());
        }
        assertThat(params).isEqualTo(138_357_544L).isEqualTo(vgg.parameterCount(1000));
        assertThat(vgg.parameterCount(20)).isEqualTo(134_260_544L + 4097L * 20);
        assertThat(names).startsWith("conv1_1", "conv1_2", "pool1", "conv2_1", "conv2_2", "pool2", "conv3_1")
                .endsWith("conv5_3", "pool5", "fc6", "fc7", "fc8", "gmp", "loss").hasSize(13 + 5 + 5);
        ConvolutionLayer fc6 = (ConvolutionLayer) conf.getConf(names.indexOf("fc6")).getLayer();
        assertThat(fc6.getKernelSize()).containsExactly(7, 7);
        assertThat(fc6.getNIn()).isEqualTo(512);
        assertThat(fc6.getNOut()).isEqualTo(4096);
        List<InputType> types = conf.getLayerActivationTypes(InputType.convolutional(500, 500, 3));
        InputType.InputTypeConvolutional score = (InputType.InputTypeConvolutional) types.get(names.indexOf("fc8"));
        assertThat(new long[] {score.getChannels(), score.getHeight(), score.getWidth()}).containsExactly(1000, 9, 9);
    }

    @Test
    void inferenceNetworkScoreMapMatchesFormula() {
        FcnModel model = FcnModel.initialise(TINY, org.dcsm.core.ClassList.of("bg", "a", "b", "c"), 3);
        assertThat(TINY.minimumInputSize()).isEqualTo(4);
        INDArray map = model.scoreMap(Nd4j.rand(DataType.FLOAT, 2, 3, 17, 12));
        assertThat(map.shape()).containsExactly(2, 3, TINY.scoreMapSide(17), TINY.scoreMapSide(12));
        assertThat(map.shape()).containsExactly(2, 3, 4, 3);
        INDArray scores = model.scores(Nd4j.rand(DataType.FLOAT, 1, 3, 8, 8));
        assertThat(scores.shape()).containsExactly(1, 3);
    }

    @Test
    void scoresAreSigmoidOfTheGlobalMaxOfTheScoreMap() {
        FcnModel model = FcnModel.initialise(TINY, org.dcsm.core.ClassList.of("bg", "a", "b", "c"), 8);
        Nd4j.getRandom().setSeed(2);
        INDArray input = Nd4j.randn(DataType.FLOAT, 2, 3, 12, 16).muli(20);
        float[] map = model.scoreMap(input).dup('c').data().asFloat(); // [2, 3, 3, 4]
        float[] scores = model.scores(input).dup('c').data().asFloat();
        for (int i = 0; i < 6; i++) {
            float max = Float.NEGATIVE_INFINITY;
            for (int j = 0; j < 12; j++) {
                max = Math.max(max, map[i * 12 + j]);
            }
            assertThat((double) scores[i]).isCloseTo(1 / (1 + Math.exp(-max)),
                    org.assertj.core.api.Assertions.within(1e-6));
        }
    }

    @Test
    void batchNormFoldingMatchesTrainingNetworkInInferenceMode() {
        int k = 3;
        MultiLayerNetwork training = TINY.buildTrainingNetwork(k, true, 1.0, new Sgd(0.1), 0, 5);
        Nd4j.getRandom().setSeed(11);
        for (org.deeplearning4j.nn.api.Layer l : training.getLayers()) {
            if (l.conf().getLayer() instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization) {
                l.getParam(BatchNormalizationParamInitializer.GAMMA).assign(Nd4j.rand(DataType.FLOAT,
                        l.getParam(BatchNormalizationParamInitializer.GAMMA).shape()).addi(0.5));
                l.getParam(BatchNormalizationParamInitializer.BETA).assign(Nd4j.randn(DataType.FLOAT,
                        l.getParam(BatchNormalizationParamInitializer.BETA).shape()).muli(0.3));
                l.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).assign(Nd4j.randn(DataType.FLOAT,
                        l.getParam(BatchNormalizationParamInitializer.GLOBAL_MEAN).shape()).muli(0.2));
                l.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).assign(Nd4j.rand(DataType.FLOAT,
                        l.getParam(BatchNormalizationParamInitializer.GLOBAL_VAR).shape()).addi(0.2));
            }
        }
        INDArray input = Nd4j.randn(DataType.FLOAT, 2, 3, 16, 20).muli(50);
        INDArray expected = training.output(input, false);
        MultiLayerNetwork inference = TINY.toInferenceNetwork(training, k);
        FcnModel model = FcnModel.of(inference, org.dcsm.core.ClassList.of("bg", "a", "b", "c"), TINY);
        INDArray actual = model.scoreMap(input);
        assertThat(actual.shape()).containsExactly(expected.shape());
        double scale = expected.amaxNumber().doubleValue();
        assertThat(scale).isGreaterThan(0);
        assertThat(actual.sub(expected).amaxNumber().doubleValue()).isLessThan(1e-4 * scale + 1e-5);
    }

    @Test
    void badInputsNameTheProblem() {
        FcnModel model = FcnModel.initialise(SmallVggFcn.architecture(), org.dcsm.core.ClassList.of("bg", "a"), 1);
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> model.scores(Nd4j.zeros(DataType.FLOAT, 1, 3, 31, 40)));
        assertThat(small.getMessage()).contains("31x40").contains("below the minimum input size 32x32");
        INDArray nan = Nd4j.zeros(DataType.FLOAT, 1, 3, 32, 32);
        nan.putScalar(new long[] {0, 1, 2, 3}, Float.NaN);
        IllegalArgumentException nanEx = assertThrows(IllegalArgumentException.class, () -> model.scoreMap(nan));
        assertThat(nanEx.getMessage()).contains("Non-finite").contains("[0, 1, 2, 3]");
        IllegalArgumentException channels = assertThrows(IllegalArgumentException.class,
                () -> model.scores(Nd4j.zeros(DataType.FLOAT, 1, 1, 32, 32)));
        assertThat(channels.getMessage()).contains("[N, 3, H, W]").contains("[1, 1, 32, 32]");
    }

    @Test
    void builderRejectsBadFields() {
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> VggStyleFcn.builder().blockWidths(8, 16).blockDepths(1).fc6Width(4).fc7Width(4).build())
                .getMessage()).contains("blockDepths").contains("[1]");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> VggStyleFcn.builder().blockWidths(8, 0).blockDepths(1, 1).fc6Width(4).fc7Width(4).build())
                .getMessage()).isEqualTo("blockWidths[1] must be in [1, 65536], found 0");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> SmallVggFcn.architecture().toBuilder().fc6Kernel(3).fc6Padding(3).build()).getMessage())
                .isEqualTo("fc6Padding must be in [0, fc6Kernel - 1] = [0, 2], found 3");
        assertThat(assertThrows(IllegalArgumentException.class, () -> SmallVggFcn.architecture().toBuilder()
                .fc7Width(-2).build()).getMessage()).isEqualTo("fc7Width must be in [1, 65536], found -2");
        assertThat(assertThrows(IllegalArgumentException.class, () -> TINY.buildInferenceNetwork(0, 1)).getMessage())
                .isEqualTo("numClasses must be >= 1, found 0");
    }

    /**
     * Sizes from an untrusted {@code model.properties} cannot overflow: CI's fuzzer found that 8 blocks and a
     * 15,625,000-wide fc6 kernel made the minimum input side 256 · 15,625,000 = 4·10⁹, which wrapped to
     * −294,967,296 and escaped as DL4J's unchecked configuration error.
     */
    @Test
    void builderBoundsEverySizeSoDerivedSizesFitAnInt() {
        VggStyleFcn.Builder eight = VggStyleFcn.builder().blockWidths(2, 2, 2, 2, 2, 2, 2, 2)
                .blockDepths(1, 1, 1, 1, 1, 1, 1, 1).fc6Width(2).fc7Width(2);
        assertThat(assertThrows(IllegalArgumentException.class, () -> eight.fc6Kernel(15_625_000).build())
                .getMessage()).isEqualTo("fc6Kernel must be in [1, 64], found 15625000");
        // 2^8 * (64 - 2*0) = 16384 > 8192; 2^8 * 32 = 8192 is the largest allowed
        assertThat(assertThrows(IllegalArgumentException.class, () -> eight.fc6Kernel(64).fc6Padding(0).build())
                .getMessage()).isEqualTo("the minimum input size 2^blocks * max(1, fc6Kernel - 2 * fc6Padding)"
                        + " = 2^8 * 64 = 16384 must be at most 8192");
        assertThat(eight.fc6Kernel(32).fc6Padding(0).build().minimumInputSize()).isEqualTo(8192);
        assertThat(assertThrows(IllegalArgumentException.class, () -> VggStyleFcn.builder().blockWidths(2)
                .blockDepths(2_000_000_000).fc6Width(2).fc7Width(2).build()).getMessage())
                .isEqualTo("blockDepths[0] must be in [1, 32], found 2000000000");
        assertThat(assertThrows(IllegalArgumentException.class, () -> SmallVggFcn.architecture().toBuilder()
                .fc6Width(65537).build()).getMessage()).isEqualTo("fc6Width must be in [1, 65536], found 65537");
    }
}
