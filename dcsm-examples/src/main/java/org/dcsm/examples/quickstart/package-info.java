/** The README's quick start as a small class that returns its result, with a test beside it. */
package org.dcsm.examples.quickstart;
