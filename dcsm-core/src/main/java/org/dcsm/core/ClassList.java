package org.dcsm.core;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The classes of a segmentation task, background first.
 *
 * <p>A <em>class id</em> throughout dcsm is an index into this list: id 0 is always the background
 * (which the paper's CNN has no output for, Eq. 7 estimates it), ids 1..K are the K foreground
 * classes that the multi-label network scores. Network output channel {@code k} therefore means
 * class id {@code k + 1}. Immutable.
 */
public final class ClassList {

    /** The class id of the background. */
    public static final int BACKGROUND = 0;

    private static final List<String> VOC_NAMES = List.of("background",
            "aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
            "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa",
            "train", "tvmonitor");

    private final List<String> names;
    private final Map<String, Integer> idByName;

    private ClassList(List<String> names) {
        if (names.size() < 2) {
            throw new IllegalArgumentException(
                    "A class list needs the background and at least one class, found " + names);
        }
        Map<String, Integer> ids = new HashMap<>();
        for (int i = 0; i < names.size(); i++) {
            String name = Objects.requireNonNull(names.get(i), "class name " + i);
            if (name.isBlank() || !name.equals(name.strip())) {
                throw new IllegalArgumentException("Class name " + i + " is blank or has surrounding spaces: '"
                        + name + "'");
            }
            if (ids.put(name, i) != null) {
                throw new IllegalArgumentException("Class name '" + name + "' appears twice");
            }
        }
        this.names = List.copyOf(names);
        this.idByName = Collections.unmodifiableMap(ids);
    }

    /** The 20 PASCAL VOC classes with the background as id 0, in the VOC palette order. */
    public static ClassList voc() {
        return new ClassList(VOC_NAMES);
    }

    /**
     * A class list from names, background first.
     *
     * @throws IllegalArgumentException when fewer than two names, a blank name or a duplicate is given
     */
    public static ClassList of(List<String> namesBackgroundFirst) {
        return new ClassList(new ArrayList<>(namesBackgroundFirst));
    }

    /** A class list from names, background first. */
    public static ClassList of(String... namesBackgroundFirst) {
        return of(List.of(namesBackgroundFirst));
    }

    /**
     * Reads a {@code classes.txt}: one name per line, background first; blank lines and lines starting
     * with {@code #} are skipped.
     *
     * @throws IOException when the file cannot be read (the message names the path)
     */
    public static ClassList read(Path classesTxt) throws IOException {
        if (!Files.isRegularFile(classesTxt)) {
            throw new IOException("Class list file not found: " + classesTxt.toAbsolutePath());
        }
        List<String> names = new ArrayList<>();
        List<String> lines;
        try {
            lines = Files.readAllLines(classesTxt, StandardCharsets.UTF_8);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IOException("Class list " + classesTxt + " is not UTF-8 text (" + e + "); save it as UTF-8", e);
        }
        for (String line : lines) {
            String name = line.replace("\uFEFF", "").strip(); // a byte-order mark is not part of a name
            if (!name.isEmpty() && !name.startsWith("#")) {
                names.add(name);
            }
        }
        try {
            return new ClassList(names);
        } catch (IllegalArgumentException e) {
            throw new IOException("Bad class list " + classesTxt + ": " + e.getMessage(), e);
        }
    }

    /** Writes this list in the {@link #read(Path)} format. */
    public void write(Path classesTxt) throws IOException {
        Files.write(classesTxt, names, StandardCharsets.UTF_8);
    }

    /** Number of classes including the background. */
    public int size() {
        return names.size();
    }

    /** Number of foreground classes K (the network's output channels). */
    public int foregroundCount() {
        return names.size() - 1;
    }

    /** The name of class id {@code id}. */
    public String name(int id) {
        if (id < 0 || id >= names.size()) {
            throw new IllegalArgumentException("Class id " + id + " is outside 0.." + (names.size() - 1));
        }
        return names.get(id);
    }

    /**
     * The id of a class name.
     *
     * @throws IllegalArgumentException naming the unknown class and the known ones
     */
    public int id(String name) {
        Integer id = idByName.get(name);
        if (id == null) {
            throw new IllegalArgumentException("Unknown class name '" + name + "'; known classes: " + names);
        }
        return id;
    }

    /** Whether {@code name} is in this list. */
    public boolean contains(String name) {
        return idByName.containsKey(name);
    }

    /** All names, background first (unmodifiable). */
    public List<String> names() {
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClassList other && names.equals(other.names);
    }

    @Override
    public int hashCode() {
        return names.hashCode();
    }

    @Override
    public String toString() {
        return "ClassList" + names;
    }
}
