/**
 * Datasets in the PASCAL VOC layout: {@link org.dcsm.core.voc.VocDataset} reads
 * {@code ImageSets/Segmentation/<split>.txt}, {@code JPEGImages/<id>.jpg}, {@code Annotations/<id>.xml}
 * (image-level labels, parsed with a hardened XML parser) and {@code SegmentationClass/<id>.png}
 * (palette index = class id, 255 = void) lazily, one {@link org.dcsm.core.voc.VocSample} at a time;
 * {@link org.dcsm.core.voc.VocDatasetWriter} writes the same layout (used for the synthetic and
 * Fashion-MNIST datasets). {@link org.dcsm.core.voc.VocLayout} holds the folder names and the id
 * checks that keep every path inside the dataset root.
 */
package org.dcsm.core.voc;
