/**
 * Network-input preparation: aspect-preserving resizing to a longest side
 * ({@link org.dcsm.core.preprocess.AspectResize}), zero-padding into the centre of a square canvas with
 * an exact inverse ({@link org.dcsm.core.preprocess.CanvasPlacement}, the authors' code's way of feeding
 * images to the FCN), and VGG preprocessing — BGR order, mean subtraction, a batch axis
 * ({@link org.dcsm.core.preprocess.VggPreprocessor}).
 */
package org.dcsm.core.preprocess;
