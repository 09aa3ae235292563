package org.dcsm.backprop.net;

import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * Preset of {@link VggStyleFcn}: VGG-16 (Simonyan and Zisserman 2015) as the paper's fully convolutional
 * multi-label network (§3.2, Eq. 1–2): {@code conv1_1 … conv5_3} with {@code pool1 … pool5}, fc6 as a 7×7
 * convolution with 4096 outputs, fc7 1×1 (4096), fc8 1×1 to K classes, global max pooling and the sigmoid
 * cross-entropy loss.
 *
 * <p>Padding choice: fc6 is unpadded by default, as in Caffe's FCN and the ImageNet classifier it comes
 * from, so that at 224×224 the class score map is 1×1 and equals the ImageNet classifier's output exactly
 * (its minimum input size is then 7 · 32 = 224). {@link #architecture(int)} offers padding 3, which keeps a
 * score map down to 32×32 inputs but lets border positions see zero-padded pool5 features the classifier
 * never saw. DL4J pools truncate odd sizes (Caffe rounds up), so at sizes not divisible by 32 the score map
 * may be one position smaller than Caffe's.
 *
 * <p>Parameters (weights + biases): 14,714,688 in the conv body, 102,764,544 in fc6, 16,781,312 in fc7 and
 * 4097·K in fc8, in all 134,260,544 + 4097·K (138,357,544 for K = 1000, as ImageNet VGG-16); see
 * {@link VggStyleFcn#parameterCount(int)}.
 */
public final class Vgg16Fcn {

    /** Architecture name written into saved models. */
    public static final String NAME = "Vgg16Fcn";

    private Vgg16Fcn() {
    }

    /**
     * VGG-16 FCN with the unpadded 7×7 fc6 (minimum input 224); {@link VggStyleFcn#paper()} returns the same
     * architecture under the builder convention's name.
     */
    public static VggStyleFcn architecture() {
        return architecture(0);
    }

    /**
     * VGG-16 FCN with the given zero padding of the 7×7 fc6 (0 to 6).
     *
     * @throws IllegalArgumentException when the padding is outside 0..6
     */
    public static VggStyleFcn architecture(int fc6Padding) {
        return VggStyleFcn.builder().name(NAME).blockWidths(64, 128, 256, 512, 512).blockDepths(2, 2, 3, 3, 3)
                .fc6Width(4096).fc7Width(4096).fc6Kernel(7).fc6Padding(fc6Padding).build();
    }

    /** The smallest input side with a non-empty score map for the default architecture: 224. */
    public static int minimumInputSize() {
        return architecture().minimumInputSize();
    }

    /**
     * A freshly initialised VGG-16 FCN inference network (about 134 M + 4097·K parameters, 0.54 GB of
     * float weights; initialisation takes seconds).
     */
    public static MultiLayerNetwork build(int numClasses, long seed) {
        return architecture().buildInferenceNetwork(numClasses, seed);
    }
}
