/**
 * Pictures for inspecting results, as {@link java.awt.image.BufferedImage}s to be written with
 * {@link org.dcsm.core.io.ImageFiles#writePng}: class-map heat maps with the paper's
 * {@code tanh(3x / max x)} display ({@link org.dcsm.core.render.HeatMap}, colour maps computed in code by
 * {@link org.dcsm.core.render.Colormap}), label maps in the VOC palette and label overlays on the image
 * ({@link org.dcsm.core.render.LabelOverlay}), and side-by-side strips with captions
 * ({@link org.dcsm.core.render.Strip}).
 */
package org.dcsm.core.render;
