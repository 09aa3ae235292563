/**
 * The {@code dcsm} command line (picocli): {@link org.dcsm.examples.cli.DcsmCommand} and its subcommands
 * {@code demo}, {@code train}, {@code evaluate}, {@code segment}, {@code tune-crf} and {@code make-fashion-voc}.
 * Commands parse options and print; the work is done by {@code org.dcsm.examples.run},
 * {@code org.dcsm.examples.demo} and the library. Progress bars go to standard error, tables to standard output.
 */
package org.dcsm.examples.cli;
