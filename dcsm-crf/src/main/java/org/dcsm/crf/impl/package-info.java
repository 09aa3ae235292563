/**
 * The hot loops of the dense CRF on flat primitive arrays: the permutohedral lattice (Adams, Baek and Davis
 * 2010), the exact filters (all pairs in blocks, windowed, separable for the position kernel; exact row sums) that
 * serve as its reference and replace it where unnormalised energies need exact sums, the mean-field update, a fast
 * exp, and the per-instance thread runner. Not a stable API: use {@link org.dcsm.crf.DenseCrf}.
 */
package org.dcsm.crf.impl;
