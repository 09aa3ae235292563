package org.dcsm.backprop.net;

/**
 * The layer names of the network contract ({@code org.dcsm.backprop.net}'s package documentation): VGG's
 * {@code convB_I} and {@code poolB} (blocks and layers counted from 1), and the fully connected layers as
 * convolutions {@code fc6}, {@code fc7} and the class-score layer {@code fc8}. Everything that builds, loads, trains or
 * reads such a network names its layers through here.
 */
public final class FcnLayers {

    /** The first fully connected layer, as a convolution. */
    public static final String FC6 = "fc6";

    /** The second fully connected layer, as a 1×1 convolution. */
    public static final String FC7 = "fc7";

    /** The class-score layer: a 1×1 convolution with one channel per foreground class, no activation. */
    public static final String FC8 = "fc8";

    private FcnLayers() {
    }

    /**
     * {@code conv<block>_<layer>}, e.g. {@code conv(3, 1)} = {@code conv3_1}.
     *
     * @param block 1-based block
     * @param layer 1-based layer within the block
     */
    public static String conv(int block, int layer) {
        return convPrefix(block) + layer;
    }

    /** {@code conv<block>_}, the start of every convolution name of a block (1-based). */
    public static String convPrefix(int block) {
        return "conv" + block + "_";
    }

    /** {@code pool<block>}, the 2×2 max pooling that ends a block (1-based). */
    public static String pool(int block) {
        return "pool" + block;
    }
}
