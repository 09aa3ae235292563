/** The offline demo: synthetic scenes, training from scratch, three methods scored ({@link org.dcsm.examples.demo.Demo}). */
package org.dcsm.examples.demo;
