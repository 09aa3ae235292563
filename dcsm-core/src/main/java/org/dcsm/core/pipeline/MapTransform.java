package org.dcsm.core.pipeline;

import org.dcsm.core.ClassMaps;

/**
 * A replaceable step from class maps to class maps: the subtraction of Eq. 4
 * ({@code ClassMapSubtractor::subtract}) or any user-supplied variant. Must not modify its input
 * (ClassMaps is immutable) and must keep the class ids.
 */
@FunctionalInterface
public interface MapTransform {

    ClassMaps apply(ClassMaps maps);
}
