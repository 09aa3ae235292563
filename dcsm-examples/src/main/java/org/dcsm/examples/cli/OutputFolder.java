package org.dcsm.examples.cli;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Comparator;
import java.util.stream.Stream;

import picocli.CommandLine;

/**
 * The rules for a folder a command writes into, checked before any work starts, so that nothing the user
 * owns is destroyed and old outputs never mix with new ones:
 *
 * <ul>
 *   <li>a path that exists and is not a folder is refused;</li>
 *   <li>a folder that holds one of the command's inputs is refused (outputs would replace or snowball on
 *       the inputs);</li>
 *   <li>a folder that is not empty is refused unless {@code --overwrite} is given; and even then only a
 *       folder that dcsm itself wrote (it holds the {@value #MARKER} file) is emptied first: any other
 *       folder is refused, whatever the option says.</li>
 * </ul>
 *
 * A refused folder is a bad command line: a {@link CommandLine.ParameterException}, exit code 2.
 */
final class OutputFolder {

    /** The file dcsm leaves in each output folder it writes, so that it can recognise it later. */
    static final String MARKER = ".dcsm-output";

    private OutputFolder() {
    }

    /**
     * Checks {@code dir} against the rules, empties an earlier dcsm output there when {@code overwrite},
     * then creates it and its marker.
     *
     * @param option the option's name, for messages (e.g. {@code "--out"})
     * @param inputs files the command reads (may be empty)
     */
    static Path prepare(CommandLine cl, Path dir, String option, boolean overwrite, Collection<Path> inputs)
            throws IOException {
        requireNotAFile(cl, dir, option);
        Path real = Files.exists(dir) ? dir.toRealPath() : dir.toAbsolutePath().normalize();
        for (Path in : inputs) {
            Path file = Files.exists(in) ? in.toRealPath() : in.toAbsolutePath().normalize();
            if (file.startsWith(real)) {
                throw new CommandLine.ParameterException(cl, option + " " + dir + " holds the input " + in
                        + ": outputs would be mixed with (or replace) the inputs; choose another folder");
            }
        }
        if (Files.isDirectory(dir) && !isEmpty(dir)) {
            boolean ours = Files.isRegularFile(dir.resolve(MARKER), LinkOption.NOFOLLOW_LINKS);
            if (!overwrite) {
                throw new CommandLine.ParameterException(cl, option + " " + dir + " is not empty: choose a new or"
                        + " empty folder" + (ours ? ", or add --overwrite to replace the earlier dcsm output there"
                        : ""));
            }
            if (!ours) {
                throw new CommandLine.ParameterException(cl, option + " " + dir + " is not empty and was not written"
                        + " by dcsm (no " + MARKER + " file): refusing to delete its files even with --overwrite");
            }
            clear(dir);
        }
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(MARKER), "This folder was written by dcsm; dcsm --overwrite may empty it.\n");
        return dir;
    }

    /** Refuses (exit 2) a {@code dir} that exists and is not a folder. */
    static void requireNotAFile(CommandLine cl, Path dir, String option) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new CommandLine.ParameterException(cl, option + " " + dir + " is a file, not a folder: choose a"
                    + " folder to write into");
        }
    }

    /** Whether the folder {@code dir} holds nothing. */
    static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }

    /** Deletes the folder's contents (not following links), deepest first. */
    private static void clear(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                if (!p.equals(dir)) {
                    Files.delete(p);
                }
            }
        }
    }
}
