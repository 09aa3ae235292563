package org.dcsm.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.dcsm.backprop.net.FcnModel;

/**
 * The files of a model folder ({@value FcnModel#MODEL_FILE}, {@value FcnModel#CLASSES_FILE},
 * {@value FcnModel#PROPERTIES_FILE}) as bytes, the form in which a model is broadcast to the executors. Each
 * executor turns them back into an {@link FcnModel} with {@link FcnModel#load}, the loader that treats a model
 * folder as untrusted data (nothing is Java-deserialised; every entry's size is capped by the architecture): the
 * bundle carries the files, never a deserialised network. Immutable; {@link #digest()} identifies the content.
 */
public final class ModelBundle implements Serializable {

    private static final long serialVersionUID = 1L;

    /**
     * Largest model file read (2 GiB - 1 KiB, a Java array's limit): VGG-16's FCN weights are about 0.5 GB. The
     * architecture's own cap is checked again by {@link FcnModel#load}.
     */
    public static final long MAX_FILE_BYTES = Integer.MAX_VALUE - 1024;

    private static final List<String> FILES = List.of(FcnModel.MODEL_FILE, FcnModel.CLASSES_FILE,
            FcnModel.PROPERTIES_FILE);

    private final Map<String, byte[]> files;
    private final String digest;

    private ModelBundle(Map<String, byte[]> files) {
        this.files = files;
        this.digest = sha256(files);
    }

    /**
     * Reads a model folder written by {@code dcsm train} or {@link FcnModel#save}, and checks that it loads.
     *
     * @throws IOException naming the folder or file when one is missing, too large or not a model
     */
    public static ModelBundle read(Path dir) throws IOException {
        Objects.requireNonNull(dir, "dir");
        Map<String, byte[]> files = new LinkedHashMap<>();
        for (String name : FILES) {
            Path f = dir.resolve(name);
            if (!Files.isRegularFile(f)) {
                throw new IOException("Model file not found: " + f.toAbsolutePath() + " (a model folder holds "
                        + String.join(", ", FILES) + "; create one with dcsm train)");
            }
            long size = Files.size(f);
            if (size > MAX_FILE_BYTES) {
                throw new IOException("Model file " + f.toAbsolutePath() + " is " + size + " bytes, more than "
                        + MAX_FILE_BYTES);
            }
            files.put(name, Files.readAllBytes(f));
        }
        ModelBundle bundle = new ModelBundle(files);
        bundle.load(); // fail on the driver, with the loader's message, rather than in every task
        return bundle;
    }

    /** The model's bundle, through a temporary folder ({@link FcnModel#save}). */
    public static ModelBundle of(FcnModel model) throws IOException {
        Path tmp = Files.createTempDirectory("dcsm-model-");
        try {
            model.save(tmp);
            return read(tmp);
        } finally {
            deleteTree(tmp);
        }
    }

    /**
     * A new model from the bundle's files, through {@link FcnModel#load} on a private temporary folder that is
     * deleted afterwards.
     */
    public FcnModel load() throws IOException {
        Path tmp = Files.createTempDirectory("dcsm-model-");
        try {
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                Files.write(tmp.resolve(e.getKey()), e.getValue());
            }
            return FcnModel.load(tmp);
        } finally {
            deleteTree(tmp);
        }
    }

    /** SHA-256 of the files, hex: the key under which executors keep the pipelines built from this model. */
    public String digest() {
        return digest;
    }

    /** The bundle's size in bytes (what a broadcast ships). */
    public long bytes() {
        return files.values().stream().mapToLong(b -> b.length).sum();
    }

    private static String sha256(Map<String, byte[]> files) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (Map.Entry<String, byte[]> e : files.entrySet()) {
                md.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(Long.toString(e.getValue().length).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update((byte) 0);
                md.update(e.getValue());
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Override
    public String toString() {
        return "ModelBundle[" + bytes() + " bytes, sha256 " + digest.substring(0, 12) + "]";
    }
}
