/**
 * <b>Internal: not API.</b> Public only because dcsm's modules and benchmarks call it; it may change or go in any
 * release (CONTRIBUTING.md, "impl packages are internal"): use {@link org.dcsm.crf.DenseCrf}.
 *
 * <p>What lives here: the hot loops of the dense CRF on flat primitive arrays: the permutohedral lattice (Adams, Baek
 * and Davis 2010), the exact filters (all pairs in blocks, windowed, separable for the position kernel; exact row
 * sums) that serve as its reference and replace it where unnormalised energies need exact sums, the mean-field
 * update and a fast exp. They run on dcsm-core's {@code org.dcsm.core.impl.Parallel}.
 */
package org.dcsm.crf.impl;
