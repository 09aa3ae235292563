package org.dcsm.core.io;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Replaces a file atomically: the content is written to a new file beside the target, then moved over it
 * in one step. A reader sees the old file or the new one, never a truncated mix; a crash or Ctrl-C while
 * writing leaves the old file untouched (the half-written temporary file is removed on a normal exit or on
 * Ctrl-C, and its name starts with a dot so that it never looks like an output).
 *
 * <p>The temporary file is created by the writer, so it gets the permissions of any file the writer
 * creates (the process umask), not the owner-only permissions of {@link Files#createTempFile}.
 */
public final class AtomicFiles {

    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes the content of a file to the path it is given (which does not exist yet). */
    @FunctionalInterface
    public interface Content {
        /** Creates {@code file} and writes the content into it. */
        void writeTo(Path file) throws IOException;
    }

    private AtomicFiles() {
    }

    /**
     * Writes {@code target} through {@code content}, atomically.
     *
     * @param target  the file to create or replace; its folder must exist
     * @param content writes the new content to the path it is given
     * @throws IOException when writing or moving fails; {@code target} is then unchanged
     */
    public static void write(Path target, Content content) throws IOException {
        writeAll(Map.of(target, Objects.requireNonNull(content, "content")));
    }

    /**
     * Writes several files as one unit: every content is written to its temporary sibling first, and only when
     * all succeeded are they moved over their targets, one after the other, under a lock that the Ctrl-C
     * shutdown hook waits for. So an error while writing leaves every target unchanged, and Ctrl-C leaves
     * either all old files or all new ones (a power cut between two moves can still mix them).
     *
     * @param contents targets (each in an existing folder) and their contents, moved in this map's order
     * @throws IOException when writing fails (every target unchanged) or a move fails (named)
     */
    public static void writeAll(Map<Path, Content> contents) throws IOException {
        Map<Path, Path> temporaries = new LinkedHashMap<>();
        boolean committed = false;
        try {
            for (Map.Entry<Path, Content> e : contents.entrySet()) {
                Path tmp = temporarySibling(e.getKey());
                InFlight.add(tmp);
                temporaries.put(e.getKey(), tmp);
                Objects.requireNonNull(e.getValue(), "content").writeTo(tmp);
                if (!Files.isRegularFile(tmp)) {
                    throw new IOException("writing " + e.getKey() + " produced no file");
                }
            }
            synchronized (InFlight.COMMIT) {
                if (InFlight.shuttingDown) {
                    throw new IOException("the JVM is shutting down: " + contents.keySet() + " left unchanged");
                }
                for (Map.Entry<Path, Path> e : temporaries.entrySet()) {
                    move(e.getValue(), e.getKey());
                }
                committed = true;
            }
        } finally {
            for (Path tmp : temporaries.values()) {
                if (!committed) {
                    Files.deleteIfExists(tmp);
                }
                InFlight.remove(tmp);
            }
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The temporary files being written right now, deleted by one shutdown hook if the JVM exits (Ctrl-C)
     * while they are. Unlike {@link java.io.File#deleteOnExit}, whose list only grows, a path leaves this set
     * when its write ends, so a batch that writes millions of files holds only the few in flight.
     */
    private static final class InFlight {
        private static final Set<Path> PATHS = ConcurrentHashMap.newKeySet();
        /** Held while a {@link #writeAll} moves its files; the shutdown hook waits for it. */
        static final Object COMMIT = new Object();
        static boolean shuttingDown;

        static {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                synchronized (COMMIT) {
                    shuttingDown = true; // a writeAll that has not started moving will not start
                }
                for (Path p : PATHS) {
                    try {
                        Files.deleteIfExists(p);
                    } catch (IOException e) {
                        // best effort at exit: a hidden temporary file may stay behind
                    }
                }
            }, "dcsm-atomic-files-cleanup"));
        }

        static void add(Path p) {
            PATHS.add(p);
        }

        static void remove(Path p) {
            PATHS.remove(p);
        }
    }

    /** {@link #write} of a string in UTF-8. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, tmp -> Files.writeString(tmp, text));
    }

    /** A path beside {@code target} that does not exist, starting with a dot. */
    static Path temporarySibling(Path target) {
        Path abs = Objects.requireNonNull(target, "target").toAbsolutePath();
        Path dir = abs.getParent();
        String name = abs.getFileName().toString();
        for (int attempt = 0; ; attempt++) {
            Path p = dir.resolve("." + name + ".tmp-" + Long.toUnsignedString(RANDOM.nextLong(), 36));
            if (!Files.exists(p) || attempt > 100) {
                return p;
            }
        }
    }
}
