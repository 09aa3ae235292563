package org.dcsm.examples.run;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

import org.dcsm.crf.DenseCrf;
import org.dcsm.crf.KernelNormalization;

/**
 * The dense CRF's parameters as the paper names them (Eq. 8): appearance kernel weight {@code w1} with
 * {@code theta_alpha} (position) and {@code theta_beta} (colour), smoothness kernel weight {@code w2}
 * with {@code theta_gamma}; plus the mean-field iterations and the kernel normalisation. Stored in a
 * model folder as {@value #FILE} by {@code dcsm tune-crf}; {@code evaluate} and {@code segment} read it,
 * and use {@link #paper()} when it is absent. Immutable.
 */
public record CrfSettings(double w1, double thetaAlpha, double thetaBeta, double w2, double thetaGamma, int iterations,
                          KernelNormalization normalization) {

    /** The file name inside a model folder. */
    public static final String FILE = "crf.properties";

    /** @throws IllegalArgumentException naming the bad parameter and its value */
    public CrfSettings {
        requirePositive("w1", w1, true);
        requirePositive("thetaAlpha", thetaAlpha, false);
        requirePositive("thetaBeta", thetaBeta, false);
        requirePositive("w2", w2, true);
        requirePositive("thetaGamma", thetaGamma, false);
        if (iterations < 1) {
            throw new IllegalArgumentException("iterations must be >= 1, found " + iterations);
        }
        if (normalization == null) {
            throw new IllegalArgumentException("normalization must not be null");
        }
    }

    private static void requirePositive(String name, double v, boolean zeroAllowed) {
        if (!Double.isFinite(v) || v < 0 || (!zeroAllowed && v == 0)) {
            throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? ">= 0" : "> 0") + " and finite, found "
                    + v);
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

    /** Writes {@value #FILE} into {@code modelDir}. */
    public void save(Path modelDir) throws IOException {
        Properties p = toProperties();
        try (Writer w = Files.newBufferedWriter(modelDir.resolve(FILE), StandardCharsets.UTF_8)) {
            p.store(w, "dense CRF parameters (dcsm tune-crf)");
        }
    }

    /** These parameters as the entries of {@value #FILE}. */
    Properties toProperties() {
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
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        }
        try {
            return fromProperties(p);
        } catch (IllegalArgumentException e) {
            throw new IOException("Bad CRF parameters in " + file + ": " + e.getMessage(), e);
        }
    }

    /** @throws IllegalArgumentException naming a missing or bad entry */
    static CrfSettings fromProperties(Properties p) {
        String norm = text(p, "normalization");
        KernelNormalization n;
        try {
            n = KernelNormalization.valueOf(norm.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("entry 'normalization' is not a mode: '" + norm + "'; known: "
                    + java.util.Arrays.toString(KernelNormalization.values()), e);
        }
        return new CrfSettings(number(p, "w1"), number(p, "theta_alpha"), number(p, "theta_beta"), number(p, "w2"),
                number(p, "theta_gamma"), (int) number(p, "iterations"), n);
    }

    /** {@code value} as a number, or an exception naming {@code key}. */
    static double parse(String key, String value) {
        try {
            return Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("entry '" + key + "' is not a number: '" + value.strip() + "'", e);
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

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "w1=%g theta_alpha=%g theta_beta=%g w2=%g theta_gamma=%g iterations=%d %s", w1,
                thetaAlpha, thetaBeta, w2, thetaGamma, iterations, normalization);
    }
}
