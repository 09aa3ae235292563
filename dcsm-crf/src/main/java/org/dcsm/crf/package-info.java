/**
 * The fully connected CRF (Krähenbühl and Koltun, NIPS 2011) that DCSM applies to its class maps
 * (Shimoda and Yanai, ECCV 2016, §3.4, Eq. 6–8): the configuration {@link org.dcsm.crf.DenseCrf} with its
 * paper preset, inputs ({@link org.dcsm.crf.CrfInput}, {@link org.dcsm.crf.UnaryEnergies}), label
 * compatibilities, kernel normalisations, step-wise sessions, and the exact O(N²) reference
 * {@link org.dcsm.crf.ExactDenseCrf}. Depends on dcsm-core and ND4J's API only. The loops live in
 * {@code org.dcsm.crf.impl}.
 */
package org.dcsm.crf;
