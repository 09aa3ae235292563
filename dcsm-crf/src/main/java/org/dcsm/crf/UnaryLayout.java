package org.dcsm.crf;

/**
 * The order of per-pixel, per-label values in a flat {@code float[]} of {@code M} labels over {@code N = W·H} pixels
 * (pixel {@code i = y * W + x}), for unary energies, probabilities and marginals passed as raw arrays.
 */
public enum UnaryLayout {
    /**
     * Label-major ({@code M×H×W}, the layout of an ND4J {@code M×H×W} tensor and of pydensecrf's unary): label
     * {@code l} of pixel {@code i} at {@code [l * N + i]}.
     */
    LABEL_MAJOR,
    /**
     * Pixel-major ({@code H×W×M}, the layout of densecrf v2's {@code setUnaryEnergy} and of an HWC array): label
     * {@code l} of pixel {@code i} at {@code [i * M + l]}.
     */
    PIXEL_MAJOR
}
