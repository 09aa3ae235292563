package org.dcsm.pipeline;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.dcsm.crf.CrfSettings;

/**
 * Fuzzes the parsing of a model folder's {@code crf.properties} ({@link CrfSettings#loadOrPaper} and
 * {@link MethodPreset#loadOrDefault}): any bytes give settings that build a CRF, or an {@link IOException}
 * naming the file; nothing else may escape (no unchecked exception from {@link java.util.Properties} or a
 * number, no settings that the CRF then refuses).
 */
class CrfPropertiesFuzzTest {

    private static final Path DIR = folder();

    private static Path folder() {
        try {
            Path d = Files.createTempDirectory("dcsm-fuzz-crf");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @FuzzTest(maxDuration = "20s")
    void crfProperties(byte[] properties) throws IOException {
        Files.write(DIR.resolve(CrfSettings.FILE), properties);
        try {
            CrfSettings.loadOrPaper(DIR).toCrf(1); // what is accepted must build a CRF
        } catch (IOException expected) {
            // a clear refusal is the contract
        }
        try {
            MethodPreset p = MethodPreset.loadOrDefault(DIR, Method.DCSM);
            p.crf().toCrf(1);
            MethodPreset.requireAlpha("alpha", p.alpha());
        } catch (IOException expected) {
            // a clear refusal is the contract
        }
    }
}
