package org.dcsm.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.dcsm.pipeline.Method;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's whole pipeline at reduced size (fixed seeds): trains the small FCN from scratch on synthetic
 * scenes' image-level labels, segments held-out scenes, and checks the paper's ordering with honest
 * thresholds: DCSM + CRF beats the Simonyan baseline + CRF by at least 10 mIoU points, and the CRF
 * improves DCSM. The baseline is the honest one (input gradient of the pooled class score, Eq. 2, with its built-in
 * alpha 5 and CRF) and DCSM reads its derivatives before the ReLU; that configuration passed on 2026-12-02. Since
 * issue 11 item 6 both methods weight each candidate's map by its probability before Eq. 7 (the demo's
 * {@code MethodSettings.DEFAULT_CANDIDATE_MAPS}, beyond the paper); the ordering held with it on 2026-12-02 (53 s).
 */
class DemoTest {

    @TempDir
    Path out;

    /**
     * The ordering at the reduced size (320 training and 40 validation scenes, 6 epochs): DCSM + CRF at
     * least 10 mIoU points above Simonyan + CRF, and the CRF improving DCSM. It holds with the demo's saliency
     * scales of 3-4x the image side; at 1-1.5x it did not (20.5 vs 25.0, docs/RESULTS.md).
     */
    @Test
    void dcsmBeatsTheSimonyanBaselineAndTheCrfHelps() throws IOException {
        Demo.Result r = new Demo(Demo.Config.reduced()).run(out, null, null);
        assertThat(r.report().allSucceeded()).isTrue();
        double simonyan = r.miou(Method.SIMONYAN);
        double nocrf = r.miou(Method.DCSM_NOCRF);
        double dcsm = r.miou(Method.DCSM);
        String table = "Simonyan+CRF " + simonyan + ", DCSM w/o CRF " + nocrf + ", DCSM+CRF " + dcsm;
        assertThat(dcsm).as(table).isGreaterThanOrEqualTo(simonyan + 10);
        assertThat(dcsm).as(table).isGreaterThan(nocrf);
        String html = Files.readString(r.reportFile());
        assertThat(html).contains("DCSM + CRF", "Simonyan + CRF", "pictures/").doesNotContain("http:", "https:");
        assertThat(out.resolve("model/model.zip")).isRegularFile();
    }

    @Test
    void rejectsBadConfigs() {
        Demo.Config c = Demo.Config.reduced();
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Demo.Config(16, 10, 10, 1, 1, 0, 1,
                c.widths(), 0.01))).hasMessageContaining("imageSize must be >= 32").hasMessageContaining("found 16");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Demo.Config(64, 10, 10, 0, 1, 0, 1,
                c.widths(), 0.01))).hasMessage("epochs must be >= 1, found 0");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new Demo.Config(64, 10, 10, 1, 1, 0, 1,
                new int[] {8, 8}, 0.01))).hasMessage("widths must give the 5 blocks' channels, found 2");
    }
}
