/**
 * Datasets the examples and the {@code dcsm} command line generate or read: the embedded synthetic
 * multi-label scenes ({@link org.dcsm.examples.data.SyntheticScenes}), Fashion-MNIST's IDX files
 * ({@link org.dcsm.examples.data.FashionMnist}) and composites of its photographs with exact masks
 * ({@link org.dcsm.examples.data.FashionComposer}), all as {@link org.dcsm.examples.data.Scene}s.
 */
package org.dcsm.examples.data;
