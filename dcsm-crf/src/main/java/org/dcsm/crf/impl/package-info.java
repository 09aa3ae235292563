/**
 * The hot loops of the dense CRF on flat primitive arrays: the permutohedral lattice (Adams, Baek and Davis
 * 2010), the exact Gaussian filter used as its reference, the mean-field update, a fast exp, and the
 * per-instance thread runner. Not a stable API: use {@link org.dcsm.crf.DenseCrf}.
 */
package org.dcsm.crf.impl;
