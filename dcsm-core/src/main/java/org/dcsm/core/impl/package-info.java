/**
 * <b>Internal: not API.</b> Public only because dcsm's other modules call it; it may change or go in any release,
 * and nothing outside dcsm should use it (CONTRIBUTING.md, "impl packages are internal").
 *
 * <p>What lives here: the hot loops of dcsm-core's map maths on flat row-major {@code float[]} arrays (no per-pixel
 * objects), {@link org.dcsm.core.impl.Parallel}, dcsm's one thread runner (what every {@code threads(int)} setting
 * means), {@link org.dcsm.core.impl.Checks}, the argument checks and messages every module shares, and
 * {@link org.dcsm.core.impl.NdArrays}, which turns ND4J arrays into flat arrays and closes the copies it makes. Only
 * {@code NdArrays} loads ND4J classes: dcsm-crf's raw-array path runs the rest without ND4J. The public, validated
 * entry points are {@link org.dcsm.core.ClassMapSubtractor} (Eq. 4), {@link org.dcsm.core.MultiScaleAggregator}
 * (Eq. 5), {@link org.dcsm.core.BackgroundEstimator} (Eq. 7) and {@link org.dcsm.core.Unary}; the loops here check
 * nothing.
 */
package org.dcsm.core.impl;
