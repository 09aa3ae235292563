package org.dcsm.core.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Reads a settings file that may come from a stranger (a shared model folder's {@code model.properties} or
 * {@code crf.properties}): bounded in size, required to be UTF-8, and every failure an {@link IOException}
 * naming the file and the fix, including the unchecked {@link IllegalArgumentException} that
 * {@link Properties#load(Reader)} throws for a malformed {@code \\uXXXX} escape. Stateless.
 */
public final class PropertiesFiles {

    private PropertiesFiles() {
    }

    /**
     * @param maxBytes the largest file accepted
     * @param fix      what to do about a bad file, for the messages (e.g. "write it again with dcsm tune-crf")
     * @throws IOException naming the file when it is larger than {@code maxBytes}, not UTF-8, holds a malformed
     *                     escape, or cannot be read
     */
    public static Properties read(Path file, long maxBytes, String fix) throws IOException {
        long size = Files.size(file);
        if (size > maxBytes) {
            throw new IOException(file + " is " + size + " bytes; a settings file holds a few lines (at most "
                    + maxBytes + " bytes)");
        }
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (CharacterCodingException e) {
            throw new IOException(file + " is not UTF-8 text (" + e + "); " + fix + " or save it as UTF-8", e);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " has a malformed \\uXXXX escape (" + e.getMessage() + "); " + fix, e);
        }
        return p;
    }
}
