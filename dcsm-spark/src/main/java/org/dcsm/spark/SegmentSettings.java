package org.dcsm.spark;

import java.io.Serializable;
import java.util.Objects;

import org.dcsm.core.impl.Checks;
import org.dcsm.core.io.ImageLoader;
import org.dcsm.pipeline.Method;
import org.dcsm.pipeline.MethodPreset;
import org.dcsm.pipeline.MethodSettings;

/**
 * What a Spark job runs and where it writes: the {@link Method}, DCSM's {@link MethodSettings} and the baseline's,
 * the output folder (a Hadoop URI: {@code file:///...}, {@code hdfs://...}), whether the class maps are written,
 * the number of partitions, and the limits an untrusted image is checked against before it is read. Immutable,
 * serializable (it travels to the executors), validated once in {@link Builder#build()}.
 */
public final class SegmentSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    /** Default largest image (or mask) file read: 64 MiB. */
    public static final long DEFAULT_MAX_FILE_BYTES = 64L << 20;

    private final Method method;
    private final MethodSettings settings;
    private final MethodSettings baseline;
    private final String output;
    private final boolean classMaps;
    private final int partitions;
    private final long maxFileBytes;
    private final long maxPixels;

    private SegmentSettings(Builder b, MethodSettings baseline) {
        this.method = b.method;
        this.settings = b.settings;
        this.baseline = baseline;
        this.output = b.output;
        this.classMaps = b.classMaps;
        this.partitions = b.partitions;
        this.maxFileBytes = b.maxFileBytes;
        this.maxPixels = b.maxPixels;
    }

    /** A builder; {@link Builder#settings} and {@link Builder#output} are required. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A builder holding these settings. A baseline equal to the one derived from {@link #settings()} is left unset,
     * so it is derived again from the settings the builder ends with.
     */
    public Builder toBuilder() {
        Builder b = new Builder().method(method).settings(settings).classMaps(classMaps).partitions(partitions)
                .maxFileBytes(maxFileBytes).maxPixels(maxPixels);
        if (!baseline.equals(defaultBaseline(settings))) {
            b.baseline(baseline);
        }
        if (output != null) {
            b.output(output);
        }
        return b;
    }

    private static MethodSettings defaultBaseline(MethodSettings settings) {
        return settings.baseline(MethodPreset.SIMONYAN_DEFAULT);
    }

    /** Fluent builder, validated in {@link #build()}. Not thread-safe. */
    public static final class Builder {
        private Method method = Method.DCSM;
        private MethodSettings settings;
        private MethodSettings baseline;
        private String output;
        private boolean classMaps;
        private int partitions;
        private long maxFileBytes = DEFAULT_MAX_FILE_BYTES;
        private long maxPixels = ImageLoader.DEFAULT_MAX_PIXELS;

        private Builder() {
        }

        /** The method whose labels {@code segment} writes (default DCSM). */
        public Builder method(Method method) {
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /** DCSM's settings (required), e.g. {@code MethodSettings.defaults(new int[0], 1)} with a preset. */
        public Builder settings(MethodSettings settings) {
            this.settings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** The Simonyan baseline's settings (default: {@code settings.baseline(MethodPreset.SIMONYAN_DEFAULT)}). */
        public Builder baseline(MethodSettings baseline) {
            this.baseline = Objects.requireNonNull(baseline, "baseline");
            return this;
        }

        /** The output folder, a Hadoop URI or path (required for {@code segment}). */
        public Builder output(String output) {
            this.output = Objects.requireNonNull(output, "output");
            return this;
        }

        /** Whether {@code segment} also writes each candidate's fused class map as a heat-map PNG (default no). */
        public Builder classMaps(boolean classMaps) {
            this.classMaps = classMaps;
            return this;
        }

        /** Partitions of the input (default 0: Spark's default parallelism). */
        public Builder partitions(int partitions) {
            this.partitions = partitions;
            return this;
        }

        /** Largest image or mask file read, checked from its length before a byte is read (default 64 MiB). */
        public Builder maxFileBytes(long maxFileBytes) {
            this.maxFileBytes = maxFileBytes;
            return this;
        }

        /** Largest image decoded, checked from its header (default {@link ImageLoader#DEFAULT_MAX_PIXELS}). */
        public Builder maxPixels(long maxPixels) {
            this.maxPixels = maxPixels;
            return this;
        }

        /**
         * @throws IllegalStateException    when the settings are missing
         * @throws IllegalArgumentException naming a bad value
         */
        public SegmentSettings build() {
            Checks.set(settings, "settings", "(SegmentSettings.builder().settings(MethodSettings))");
            if (partitions < 0) {
                throw new IllegalArgumentException("partitions must be >= 0 (0 = Spark's default), found " + partitions);
            }
            if (maxFileBytes < 1 || maxFileBytes > Integer.MAX_VALUE - 1024) {
                throw new IllegalArgumentException("maxFileBytes must be in 1.." + (Integer.MAX_VALUE - 1024)
                        + ", found " + maxFileBytes);
            }
            ImageLoader.builder().maxPixels(maxPixels).build(); // the loader's own check of maxPixels
            if (output != null && output.isBlank()) {
                throw new IllegalArgumentException("output must name a folder, found '" + output + "'");
            }
            // derived here, not stored in the builder: a builder reused with other settings derives it again
            return new SegmentSettings(this, baseline != null ? baseline : defaultBaseline(settings));
        }
    }

    public Method method() {
        return method;
    }

    public MethodSettings settings() {
        return settings;
    }

    public MethodSettings baseline() {
        return baseline;
    }

    /** The output folder, or null when none was given. */
    public String output() {
        return output;
    }

    public boolean classMaps() {
        return classMaps;
    }

    public int partitions() {
        return partitions;
    }

    public long maxFileBytes() {
        return maxFileBytes;
    }

    public long maxPixels() {
        return maxPixels;
    }

    /** The settings of the method run ({@link #baseline()} for the Simonyan baseline). */
    public MethodSettings settingsOf(Method m) {
        return m == Method.SIMONYAN ? baseline : settings;
    }

    @Override
    public String toString() {
        return "SegmentSettings{method=" + method.cliName() + ", output=" + output + ", classMaps=" + classMaps
                + ", partitions=" + partitions + ", maxFileBytes=" + maxFileBytes + ", maxPixels=" + maxPixels
                + ", settings=" + settings + "}";
    }
}
