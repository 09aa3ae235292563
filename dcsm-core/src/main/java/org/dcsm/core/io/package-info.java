/**
 * Image and mask files: decoding JPEG / PNG (and whatever else ImageIO reads, including CMYK and YCCK
 * JPEG through TwelveMonkeys) into {@code 3×H×W} float RGB arrays with a pixel limit checked from the
 * header before decoding ({@link org.dcsm.core.io.ImageLoader}); conversions between {@code 3×H×W}
 * arrays, interleaved RGB bytes and {@link java.awt.image.BufferedImage} ({@link org.dcsm.core.io.Images});
 * JPEG / PNG writing ({@link org.dcsm.core.io.ImageFiles}); the PASCAL VOC colour palette
 * ({@link org.dcsm.core.io.VocPalette}) and palette-PNG label maps ({@link org.dcsm.core.io.LabelMapPng});
 * atomic writes ({@link org.dcsm.core.io.AtomicFiles}) and bounded, UTF-8-only reading of settings files that
 * may come from strangers ({@link org.dcsm.core.io.PropertiesFiles}).
 *
 * <p>Everything here depends on the JDK's {@code javax.imageio} and ND4J's API only.
 */
package org.dcsm.core.io;
