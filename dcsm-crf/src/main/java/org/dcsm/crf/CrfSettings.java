package org.dcsm.crf;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;

import org.dcsm.core.UntrustedText;
import org.dcsm.core.io.AtomicFiles;
import org.dcsm.core.io.PropertiesFiles;

/**
 * The dense CRF's parameters as the paper names them (Eq. 8): appearance kernel weight {@code w1} with
 * {@code theta_alpha} (position) and {@code theta_beta} (colour), smoothness kernel weight {@code w2}
 * with {@code theta_gamma}; plus the mean-field iterations and the kernel normalisation. Stored in a
 * model folder as {@value #FILE} by {@code dcsm tune-crf}; {@code evaluate} and {@code segment} read it,
 * and use {@link #paper()} when it is absent. Immutable.
 *
 * <p><b>Files.</b> {@link #save} writes atomically ({@link AtomicFiles}: beside, then moved), in UTF-8;
 * {@link #loadOrPaper} reads with {@link PropertiesFiles} (at most {@value #MAX_FILE_BYTES} bytes, UTF-8, a
 * malformed escape refused), requires every entry, refuses unknown entries, and names the file in every
 * error. The ranges below bound what a file from a stranger can ask for; within them {@link #toCrf} always
 * builds (the ranges are those of {@link DenseCrf.Builder#build()} narrowed, never wider: iterations
 * {@code 0..}{@value #MAX_ITERATIONS}, 0 giving the unary's argmin, as the CRF allows).
 *
 * <p>Serializable (dcsm-spark ships it to executors); a copy is rebuilt through the validating constructor.
 */
public record CrfSettings(double w1, double thetaAlpha, double thetaBeta, double w2, double thetaGamma, int iterations,
                          KernelNormalization normalization) implements java.io.Serializable {

    /** The file name inside a model folder. */
    public static final String FILE = "crf.properties";

    /** Most mean-field iterations accepted (a hostile {@code 1e12} would otherwise run forever). */
    public static final int MAX_ITERATIONS = 1000;
    /** Largest kernel weight accepted. */
    public static final double MAX_WEIGHT = 1000;
    /** Range of the kernel widths (pixels or colour levels): outside it {@code 1/θ²} under- or overflows. */
    public static final double MIN_THETA = 0.01;
    /** Range of the kernel widths, upper end. */
    public static final double MAX_THETA = 10_000;

    /** @throws IllegalArgumentException naming the bad parameter, its value and the accepted range */
    public CrfSettings {
        requireWeight("w1", w1);
        requireTheta("thetaAlpha", thetaAlpha);
        requireTheta("thetaBeta", thetaBeta);
        requireWeight("w2", w2);
        requireTheta("thetaGamma", thetaGamma);
        if (iterations < 0 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be between 0 and " + MAX_ITERATIONS + ", found "
                    + iterations);
        }
        Objects.requireNonNull(normalization, "normalization");
    }

    /**
     * A kernel weight these settings accept, in {@code [0, }{@value #MAX_WEIGHT}{@code ]}; for values held before
     * settings are built (a tuning grid's axes).
     *
     * @throws IllegalArgumentException naming {@code name}, the value and the range
     */
    public static void requireWeight(String name, double v) {
        requireInRange(name, v, 0, MAX_WEIGHT);
    }

    /**
     * A kernel width these settings accept, in {@code [}{@value #MIN_THETA}{@code , }{@value #MAX_THETA}{@code ]}.
     *
     * @throws IllegalArgumentException naming {@code name}, the value and the range
     */
    public static void requireTheta(String name, double v) {
        requireInRange(name, v, MIN_THETA, MAX_THETA);
    }

    private static void requireInRange(String name, double v, double min, double max) {
        if (!(v >= min && v <= max)) {
            throw new IllegalArgumentException(name + " must be between " + min + " and " + max + ", found " + v);
        }
    }

    /** The paper's values (§4.2): w1 = w2 = 1, theta_alpha 30, theta_beta 10, theta_gamma 3, 10 iterations, symmetric kernels. */
    public static CrfSettings paper() {
        DenseCrf p = DenseCrf.paper();
        return new CrfSettings(1, 30, 10, 1, 3, p.iterations(), p.normalization());
    }

    /** The CRF with these parameters on {@code threads} threads. */
    public DenseCrf toCrf(int threads) {
        DenseCrf.Builder b = DenseCrf.builder().iterations(iterations).normalization(normalization).threads(threads);
        if (w1 > 0) {
            b.bilateral(thetaAlpha, thetaBeta, w1);
        }
        if (w2 > 0) {
            b.gaussian(thetaGamma, w2);
        }
        return b.build();
    }

    /** Writes {@value #FILE} into {@code modelDir}, atomically. */
    public void save(Path modelDir) throws IOException {
        store(toProperties(), modelDir.resolve(FILE), "dense CRF parameters (dcsm tune-crf)");
    }

    /**
     * Writes {@code p} to {@code file} atomically ({@link AtomicFiles}), in UTF-8: the writer of {@value #FILE}
     * and of files that add entries to it (e.g. the pipeline's per-method presets).
     */
    public static void store(Properties p, Path file, String comment) throws IOException {
        AtomicFiles.write(file, tmp -> {
            try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                p.store(w, comment);
            }
        });
    }

    /**
     * Reads a properties file written by {@link #store}, bounded in size and required to be UTF-8.
     *
     * @throws IOException naming the file when it is too large, not UTF-8 or unreadable
     */
    public static Properties read(Path file) throws IOException {
        return PropertiesFiles.read(file, MAX_FILE_BYTES, "write it again with dcsm tune-crf");
    }

    /** Largest parameter file read, in bytes. */
    public static final long MAX_FILE_BYTES = 64 << 10;

    /** The entries of {@value #FILE}, in the order {@link #toProperties()} sets them. */
    public static final List<String> KEYS = List.of("w1", "theta_alpha", "theta_beta", "w2", "theta_gamma",
            "iterations", "normalization");

    /**
     * Entries that a model folder's {@value #FILE} may hold besides {@link #KEYS}: {@code dcsm tune-crf} also
     * writes Eq. 5's {@code alpha} and the split it tuned on ({@code tuned_on}), which the pipeline's method
     * presets read. {@link #loadOrPaper} accepts and ignores them.
     */
    public static final Set<String> PRESET_KEYS = Set.of("alpha", "tuned_on");

    /** These parameters as the entries of {@value #FILE} ({@link #KEYS}); a new object. */
    public Properties toProperties() {
        Properties p = new Properties();
        p.setProperty("w1", Double.toString(w1));
        p.setProperty("theta_alpha", Double.toString(thetaAlpha));
        p.setProperty("theta_beta", Double.toString(thetaBeta));
        p.setProperty("w2", Double.toString(w2));
        p.setProperty("theta_gamma", Double.toString(thetaGamma));
        p.setProperty("iterations", Integer.toString(iterations));
        p.setProperty("normalization", normalization.name());
        return p;
    }

    /**
     * Reads {@value #FILE} from {@code modelDir}, or returns {@link #paper()} when the file is absent.
     *
     * @throws IOException naming the file and the bad entry when it exists but is malformed
     */
    public static CrfSettings loadOrPaper(Path modelDir) throws IOException {
        Path file = modelDir.resolve(FILE);
        if (!Files.exists(file)) {
            return paper();
        }
        Properties p = read(file);
        try {
            return fromProperties(p, PRESET_KEYS);
        } catch (IllegalArgumentException e) {
            throw new IOException("Bad CRF parameters in " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * The settings of {@link #KEYS}' entries of {@code p}.
     *
     * @param otherKeys entries besides {@link #KEYS} that the caller reads itself; any other entry is refused
     * @throws IllegalArgumentException naming a missing, unknown or bad entry
     */
    public static CrfSettings fromProperties(Properties p, Collection<String> otherKeys) {
        Objects.requireNonNull(p, "properties");
        Objects.requireNonNull(otherKeys, "otherKeys");
        Set<String> unknown = new TreeSet<>(p.stringPropertyNames());
        unknown.removeAll(KEYS);
        unknown.removeAll(otherKeys);
        if (!unknown.isEmpty()) {
            String first = unknown.iterator().next();
            throw new IllegalArgumentException("unknown entry '" + UntrustedText.printable(first) + "'"
                    + (unknown.size() > 1 ? " (and " + (unknown.size() - 1) + " more)" : "") + "; known: "
                    + KEYS + (otherKeys.isEmpty() ? "" : " and " + otherKeys));
        }
        String norm = text(p, "normalization");
        KernelNormalization n;
        try {
            n = KernelNormalization.valueOf(norm.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("entry 'normalization' is not a mode: '"
                    + UntrustedText.printable(norm) + "'; known: " + Arrays.toString(KernelNormalization.values()), e);
        }
        return new CrfSettings(number(p, "w1"), number(p, "theta_alpha"), number(p, "theta_beta"), number(p, "w2"),
                number(p, "theta_gamma"), integer(p, "iterations"), n);
    }

    /**
     * {@code value} as a number, or an exception naming {@code key}.
     *
     * @throws IllegalArgumentException "entry 'key' is not a number: 'value'"
     */
    public static double parse(String key, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("entry '" + key + "' is not a number: '"
                    + UntrustedText.printable(value.strip()) + "'", e);
        }
    }

    private static String text(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) {
            throw new IllegalArgumentException("missing entry '" + key + "'");
        }
        return v.strip();
    }

    private static double number(Properties p, String key) {
        return parse(key, text(p, key));
    }

    /** A whole number, or an exception naming {@code key} ({@code 2.9} and {@code 1e12} are not truncated). */
    private static int integer(Properties p, String key) {
        String v = text(p, key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("entry '" + key + "' must be a whole number between 0 and "
                    + MAX_ITERATIONS + ", found '" + UntrustedText.printable(v) + "'", e);
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "w1=%g theta_alpha=%g theta_beta=%g w2=%g theta_gamma=%g iterations=%d %s", w1,
                thetaAlpha, thetaBeta, w2, thetaGamma, iterations, normalization);
    }
}
