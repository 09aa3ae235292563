/**
 * Hot loops of dcsm-core's map maths on flat row-major {@code float[]} arrays (no ND4J, no per-pixel
 * objects), the small fork/join helper that splits them over a caller-chosen number of threads, and
 * {@link org.dcsm.core.impl.NdArrays}, which turns ND4J arrays into flat arrays and closes the copies it makes.
 * The public, validated entry points are {@link org.dcsm.core.ClassMapSubtractor} (Eq. 4),
 * {@link org.dcsm.core.MultiScaleAggregator} (Eq. 5), {@link org.dcsm.core.BackgroundEstimator}
 * (Eq. 7) and {@link org.dcsm.core.Unary}; the methods here check nothing and may change between
 * versions.
 */
package org.dcsm.core.impl;
