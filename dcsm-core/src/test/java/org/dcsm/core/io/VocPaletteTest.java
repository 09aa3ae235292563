package org.dcsm.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.IndexColorModel;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

class VocPaletteTest {

    @Test
    void knownVocColours() {
        // values from the VOC devkit's VOClabelcolormap: background, aeroplane, bicycle, bird, person, tvmonitor, void
        assertThat(VocPalette.rgb(0)).isEqualTo(0x000000);
        assertThat(VocPalette.rgb(1)).isEqualTo(0x800000);
        assertThat(VocPalette.rgb(2)).isEqualTo(0x008000);
        assertThat(VocPalette.rgb(3)).isEqualTo(0x808000);
        assertThat(VocPalette.rgb(15)).isEqualTo((192 << 16) | (128 << 8) | 128);
        assertThat(VocPalette.rgb(20)).isEqualTo((0 << 16) | (64 << 8) | 128);
        assertThat(VocPalette.rgb(255)).isEqualTo((224 << 16) | (224 << 8) | 192);
    }

    @Test
    void coloursAreDistinctAndInvertible() {
        int[] colours = VocPalette.colours();
        assertThat(Arrays.stream(colours).distinct().count()).isEqualTo(256);
        for (int i = 0; i < 256; i++) {
            assertThat(VocPalette.indexOf(colours[i] | 0xFF000000)).isEqualTo(i);
        }
        assertThat(VocPalette.indexOf(0x123457)).isEqualTo(-1);
        IndexColorModel cm = VocPalette.colorModel();
        assertThat(cm.getMapSize()).isEqualTo(256);
        assertThat(cm.getRGB(15) & 0xFFFFFF).isEqualTo(VocPalette.rgb(15));
    }

    @Test
    void rejectsIndexOutsidePalette() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> VocPalette.rgb(256)))
                .hasMessageContaining("0..255, found 256");
    }
}
