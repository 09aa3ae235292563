package org.dcsm.backprop.net;

/**
 * Preset of {@link VggStyleFcn}: a small VGG-style FCN that trains from scratch on a few CPU cores in
 * minutes (for the demo, the tests and users without a GPU). Defaults: five blocks of 16-32-64-128-128
 * channels with 2-2-3-3-3 convolutions (13, like VGG-16), 1×1 fc6 and fc7 of 128 channels, about 0.6 M
 * parameters; minimum input 32×32. Same layer names as {@link Vgg16Fcn}.
 */
public final class SmallVggFcn {

    /** Architecture name written into saved models. */
    public static final String NAME = "SmallVggFcn";

    private SmallVggFcn() {
    }

    /** The default small architecture; change a setting with {@code architecture().toBuilder()}. */
    public static VggStyleFcn architecture() {
        return VggStyleFcn.builder().name(NAME).blockWidths(16, 32, 64, 128, 128).blockDepths(2, 2, 3, 3, 3)
                .fc6Width(128).fc7Width(128).fc6Kernel(1).fc6Padding(0).build();
    }

    /**
     * The small architecture with other block widths: {@code widths} gives the five blocks' channels, and fc6 and
     * fc7 take the last block's (as the default does: 128 after 16-32-64-128-128).
     *
     * @throws IllegalArgumentException when {@code widths} does not hold 5 values
     */
    public static VggStyleFcn architecture(int... widths) {
        if (widths.length != 5) {
            throw new IllegalArgumentException("widths must give the 5 blocks' channels, found " + widths.length);
        }
        return architecture().toBuilder().blockWidths(widths).fc6Width(widths[4]).fc7Width(widths[4]).build();
    }

    /**
     * A builder pre-filled with the defaults.
     *
     * @deprecated presets are instances now: {@code architecture().toBuilder()} (the same settings)
     */
    @Deprecated(forRemoval = true)
    public static VggStyleFcn.Builder builder() {
        return architecture().toBuilder();
    }
}
