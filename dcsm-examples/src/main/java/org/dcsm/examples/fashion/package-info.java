/** The Fashion-MNIST experiment: composite scenes written in the VOC layout for {@code dcsm train/evaluate}. */
package org.dcsm.examples.fashion;
