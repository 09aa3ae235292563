package org.dcsm.crf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** The CRF's memory estimate, counted by hand. */
class DenseCrfMemoryTest {

    @Test
    void paperCrfAtVocSizeCountedByHand() {
        DenseCrf crf = DenseCrf.paper(); // a Gaussian (d = 2) and a bilateral (d = 5) term
        // 21 labels: stride 24. Mean field 4·(3·24 + 1) = 292; Gaussian 4·3·(2 + 5 + 6 + 48) = 732;
        // bilateral 4·6·(5 + 5 + 12 + 48) = 1680: 2704 bytes per pixel
        assertThat(crf.estimateBytes(500, 375, 21)).isEqualTo(2704L * 500 * 375);
        // 3 labels: stride 3. 4·10 = 40; 4·3·(7 + 6 + 6) = 228; 4·6·(10 + 12 + 6) = 672: 940 per pixel
        assertThat(crf.estimateBytes(10, 20, 3)).isEqualTo(940L * 200);
        assertThat(crf.estimateBytes(0, 20, 3)).isZero();
    }

    @Test
    void termsAddTheirLattices() {
        DenseCrf gaussianOnly = DenseCrf.builder().gaussian(3, 3).build();
        assertThat(gaussianOnly.estimateBytes(1, 1, 21)).isEqualTo(292 + 732);
        DenseCrf features = DenseCrf.builder().features("depth", 1).build();
        assertThat(features.estimateBytes(1, 1, 21)).as("counted as 5-D").isEqualTo(292 + 1680);
    }

    @Test
    void saturatesAndRefusesBadArguments() {
        assertThat(DenseCrf.paper().estimateBytes(Integer.MAX_VALUE, Integer.MAX_VALUE, 65536))
                .isEqualTo(Long.MAX_VALUE);
        assertThatThrownBy(() -> DenseCrf.paper().estimateBytes(-1, 2, 3)).hasMessageContaining("found -1x2");
        assertThatThrownBy(() -> DenseCrf.paper().estimateBytes(1, 2, 1)).hasMessage("labels must be >= 2, found 1");
    }
}
