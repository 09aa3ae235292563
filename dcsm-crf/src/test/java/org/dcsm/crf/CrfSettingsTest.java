package org.dcsm.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Strict parsing of {@code crf.properties}: no silent truncation, no hang, ranges that cannot give NaN. */
class CrfSettingsTest {

    private static final String GOOD = "w1=1\ntheta_alpha=30\ntheta_beta=10\nw2=1\ntheta_gamma=3\niterations=10\n"
            + "normalization=SYMMETRIC\n";

    private static IOException loadFailure(Path dir, String text) throws IOException {
        Files.writeString(dir.resolve(CrfSettings.FILE), text);
        return assertThrows(IOException.class, () -> CrfSettings.loadOrPaper(dir));
    }

    @Test
    void roundTripIsAtomicAndExact(@TempDir Path dir) throws IOException {
        CrfSettings s = new CrfSettings(0.5, 60, 20, 3, 3, 10, KernelNormalization.MEAN);
        s.save(dir);
        s.save(dir);
        assertThat(CrfSettings.loadOrPaper(dir)).isEqualTo(s);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).containsExactly(dir.resolve(CrfSettings.FILE));
        }
        Files.writeString(dir.resolve(CrfSettings.FILE), GOOD);
        assertThat(CrfSettings.loadOrPaper(dir)).isEqualTo(CrfSettings.paper());
    }

    @Test
    void iterationsMustBeAWholeNumberInRange(@TempDir Path dir) throws IOException {
        assertThat(loadFailure(dir, GOOD.replace("iterations=10", "iterations=1e12")).getMessage())
                .contains("entry 'iterations' must be a whole number between 0 and 1000, found '1e12'");
        assertThat(loadFailure(dir, GOOD.replace("iterations=10", "iterations=2.9")).getMessage())
                .contains("found '2.9'");
        assertThat(loadFailure(dir, GOOD.replace("iterations=10", "iterations=NaN")).getMessage())
                .contains("found 'NaN'");
        assertThat(loadFailure(dir, GOOD.replace("iterations=10", "iterations=5000")).getMessage())
                .contains("iterations must be between 0 and 1000, found 5000");
    }

    @Test
    void zeroIterationsAgreeWithTheCrf(@TempDir Path dir) throws IOException {
        CrfSettings none = new CrfSettings(1, 30, 10, 1, 3, 0, KernelNormalization.SYMMETRIC);
        assertThat(none.toCrf(1).iterations()).isZero(); // DenseCrf allows 0 (the unary's argmin); so do the settings
        none.save(dir);
        assertThat(CrfSettings.loadOrPaper(dir)).isEqualTo(none);
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> new CrfSettings(1, 30, 10, 1, 3, -1, KernelNormalization.SYMMETRIC)).getMessage())
                .isEqualTo("iterations must be between 0 and 1000, found -1");
    }

    @Test
    void unknownAndMissingEntriesAreNamed(@TempDir Path dir) throws IOException {
        assertThat(loadFailure(dir, GOOD + "w3=1\n").getMessage()).contains(CrfSettings.FILE)
                .contains("unknown entry 'w3'");
        assertThat(loadFailure(dir, GOOD.replace("w2=1\n", "")).getMessage()).contains(CrfSettings.FILE)
                .contains("missing entry 'w2'");
    }

    @Test
    void weightsAndWidthsOutsideTheirRangeAreNamed(@TempDir Path dir) throws IOException {
        assertThat(loadFailure(dir, GOOD.replace("w1=1", "w1=1e300")).getMessage()).contains(CrfSettings.FILE)
                .contains("w1 must be between 0.0 and 1000.0, found 1.0E300");
        assertThat(loadFailure(dir, GOOD.replace("theta_beta=10", "theta_beta=1e-30")).getMessage())
                .contains("thetaBeta must be between 0.01 and 10000.0");
        assertThat(loadFailure(dir, GOOD.replace("w2=1", "w2=NaN")).getMessage()).contains("found NaN");
    }

    @Test
    void aMalformedEscapeIsAnIoExceptionNamingTheFile(@TempDir Path dir) throws IOException {
        // java.util.Properties throws an unchecked IllegalArgumentException for "\\u00zz"
        Files.writeString(dir.resolve(CrfSettings.FILE), GOOD + "tuned_on=\\u00zz\n");
        assertThat(assertThrows(IOException.class, () -> CrfSettings.loadOrPaper(dir)).getMessage())
                .contains(CrfSettings.FILE).contains("malformed \\uXXXX escape");
    }

    @Test
    void nonUtf8AndOversizedFilesAreNamed(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve(CrfSettings.FILE), new byte[] {'w', '1', '=', (byte) 0xff, '\n'});
        assertThat(assertThrows(IOException.class, () -> CrfSettings.loadOrPaper(dir)).getMessage())
                .contains("crf.properties is not UTF-8 text");
        Files.writeString(dir.resolve(CrfSettings.FILE), "#".repeat(100_000));
        assertThat(assertThrows(IOException.class, () -> CrfSettings.loadOrPaper(dir)).getMessage())
                .contains("a settings file holds a few lines");
    }
}
