/**
 * Engine-neutral DCSM maths and value types (Shimoda and Yanai, ECCV 2016): class ids
 * ({@link org.dcsm.core.ClassList}), class maps per layer and scale ({@link org.dcsm.core.ClassMaps}),
 * the subtraction of Eq. 4, the multi-scale aggregation of Eq. 5, the background and unary of Eq. 7,
 * and segmentations ({@link org.dcsm.core.LabelMap}). Depends on ND4J's API only, never on a backend.
 */
package org.dcsm.core;
