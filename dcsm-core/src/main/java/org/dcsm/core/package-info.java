/**
 * Engine-neutral DCSM maths and value types (Shimoda and Yanai, ECCV 2016): class ids
 * ({@link org.dcsm.core.ClassList}; the ids of a map set's channels, validated once, {@link org.dcsm.core.ClassIds}),
 * class maps per layer and scale ({@link org.dcsm.core.ClassMaps}),
 * the subtraction of Eq. 4 ({@link org.dcsm.core.ClassMapSubtractor}), the multi-scale aggregation of
 * Eq. 5 ({@link org.dcsm.core.MultiScaleAggregator}, resizing with {@link org.dcsm.core.BilinearResize}),
 * the background of Eq. 7 ({@link org.dcsm.core.BackgroundEstimator}) and the CRF unary and argmax
 * ({@link org.dcsm.core.Unary}), and segmentations ({@link org.dcsm.core.LabelMap}). The flat
 * {@code float[]} loops behind them live in {@code org.dcsm.core.impl} (internal). Depends on ND4J's API only,
 * never on a backend.
 */
package org.dcsm.core;
