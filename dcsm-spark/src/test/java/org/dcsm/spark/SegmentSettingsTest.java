package org.dcsm.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodPreset;
import org.dcsm.pipeline.MethodSettings;
import org.junit.jupiter.api.Test;

/** CONTRIBUTING.md's builder convention on {@link SegmentSettings}: {@code toBuilder().build()} keeps every setting. */
class SegmentSettingsTest {

    private static final MethodSettings SETTINGS = MethodSettings.paper(new int[0], 1).withBlocks(1, 2);

    @Test
    void toBuilderKeepsEverySetting() {
        MethodSettings baseline = SETTINGS.baseline(MethodPreset.SIMONYAN_DEFAULT).withAlpha(2.5);
        SegmentSettings custom = SegmentSettings.builder().method(Method.SIMONYAN).settings(SETTINGS)
                .baseline(baseline).output("file:///tmp/out").classMaps(true).partitions(7).maxFileBytes(1234)
                .maxPixels(5678).build();
        SegmentSettings copy = custom.toBuilder().build();
        assertThat(copy.method()).isEqualTo(Method.SIMONYAN);
        assertThat(copy.settings()).isEqualTo(SETTINGS);
        assertThat(copy.baseline()).isEqualTo(baseline).isNotEqualTo(SETTINGS.baseline(MethodPreset.SIMONYAN_DEFAULT));
        assertThat(copy.output()).isEqualTo("file:///tmp/out");
        assertThat(copy.classMaps()).isTrue();
        assertThat(copy.partitions()).isEqualTo(7);
        assertThat(copy.maxFileBytes()).isEqualTo(1234);
        assertThat(copy.maxPixels()).isEqualTo(5678);
        assertThat(copy.toString()).isEqualTo(custom.toString());

        SegmentSettings defaults = SegmentSettings.builder().settings(SETTINGS).build();
        SegmentSettings defaultsCopy = defaults.toBuilder().build();
        assertThat(defaultsCopy.output()).isNull();
        assertThat(defaultsCopy.baseline()).isEqualTo(defaults.baseline());
        assertThat(defaultsCopy.toString()).isEqualTo(defaults.toString());
    }

    @Test
    void aDerivedBaselineFollowsNewSettingsAndAGivenOneStays() {
        MethodSettings other = SETTINGS.withBlocks(2);
        SegmentSettings derived = SegmentSettings.builder().settings(SETTINGS).build().toBuilder().settings(other)
                .build();
        assertThat(derived.baseline()).isEqualTo(other.baseline(MethodPreset.SIMONYAN_DEFAULT))
                .isNotEqualTo(SETTINGS.baseline(MethodPreset.SIMONYAN_DEFAULT));

        MethodSettings given = SETTINGS.baseline(MethodPreset.SIMONYAN_DEFAULT).withAlpha(2.5);
        SegmentSettings kept = SegmentSettings.builder().settings(SETTINGS).baseline(given).build().toBuilder()
                .settings(other).build();
        assertThat(kept.baseline()).isEqualTo(given);
    }

    @Test
    void aReusedBuilderDerivesTheBaselineAgainAndMissingSettingsAreNamed() {
        SegmentSettings.Builder b = SegmentSettings.builder().settings(SETTINGS);
        b.build();
        MethodSettings other = SETTINGS.withBlocks(2);
        assertThat(b.settings(other).build().baseline()).isEqualTo(other.baseline(MethodPreset.SIMONYAN_DEFAULT));
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> SegmentSettings.builder().build()).getMessage())
                .isEqualTo("settings must be set (SegmentSettings.builder().settings(MethodSettings))");
    }
}
