/**
 * The fully connected CRF (Krähenbühl and Koltun, NIPS 2011) that DCSM applies to its class maps
 * (Shimoda and Yanai, ECCV 2016, §3.4, Eq. 6–8): the configuration {@link org.dcsm.crf.DenseCrf} with its
 * paper preset, inputs ({@link org.dcsm.crf.CrfInput}, {@link org.dcsm.crf.CrfImage},
 * {@link org.dcsm.crf.UnaryEnergies}), images with built lattices for reuse ({@link org.dcsm.crf.PreparedImage}),
 * label compatibilities, kernel normalisations, step-wise sessions, and the exact O(N²) reference
 * {@link org.dcsm.crf.ExactDenseCrf}; the paper's parameters by name and their {@code crf.properties} file
 * ({@link org.dcsm.crf.CrfSettings}). Unaries carry the class id of each label, so label maps hold class ids.
 * Depends on dcsm-core; ND4J's API is optional: the raw-array path
 * ({@link org.dcsm.crf.CrfImage}, {@code float[]} unaries, {@code float[]}/{@code int[]} outputs) loads no ND4J
 * class. The loops live in {@code org.dcsm.crf.impl}.
 */
package org.dcsm.crf;
