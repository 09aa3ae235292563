package org.dcsm.examples.cli;

import picocli.CommandLine;

/**
 * Option values checked before any work: an {@link IllegalArgumentException} raised while reading a value (a
 * range, an unknown name) becomes a {@link CommandLine.ParameterException}, that is a bad command line, exit
 * code 2 (README), instead of a failure of the run (exit 1).
 */
final class OptionCheck {

    /** Reads or checks option values; may throw {@link IllegalArgumentException} naming the option. */
    @FunctionalInterface
    interface Reader<T> {
        T read();
    }

    private OptionCheck() {
    }

    /** {@code reader}'s value, or a bad command line carrying its message. */
    static <T> T value(CommandLine cl, Reader<T> reader) {
        try {
            return reader.read();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(cl, e.getMessage(), e);
        }
    }

    /** Runs {@code check}; its {@link IllegalArgumentException} is a bad command line. */
    static void require(CommandLine cl, Runnable check) {
        value(cl, () -> {
            check.run();
            return null;
        });
    }
}
