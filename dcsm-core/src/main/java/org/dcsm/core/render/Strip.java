package org.dcsm.core.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several pictures side by side in one image (e.g. image | ground truth | heat map | result), each with
 * an optional caption underneath, separated by a gap. With {@link Builder#height(int)} every picture is
 * scaled (bilinear, aspect kept) to that height; otherwise pictures keep their size and are top-aligned.
 * Captions are drawn with {@code java.awt}'s default sans-serif font; on a JVM without usable fonts they
 * are left out (logged) rather than failing. Immutable configuration (the pictures are referenced, not
 * copied, and are only read); {@link #render()} returns a new image.
 */
public final class Strip {

    private static final Logger LOG = LoggerFactory.getLogger(Strip.class);

    private final List<BufferedImage> images;
    private final List<String> captions;
    private final int gap;
    private final int height;
    private final int background;
    private final int textColour;
    private final int fontSize;

    private Strip(Builder b) {
        this.images = List.copyOf(b.images);
        this.captions = List.copyOf(b.captions);
        this.gap = b.gap;
        this.height = b.height;
        this.background = b.background;
        this.textColour = b.textColour;
        this.fontSize = b.fontSize;
    }

    /** A builder with gap 4, original sizes, white background, black 12 px captions. */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder for {@link Strip}; validated in {@link #build()}. */
    public static final class Builder {
        private final List<BufferedImage> images = new ArrayList<>();
        private final List<String> captions = new ArrayList<>();
        private int gap = 4;
        private int height;
        private int background = 0xFFFFFF;
        private int textColour = 0x000000;
        private int fontSize = 12;

        private Builder() {
        }

        /** Adds a picture without a caption. */
        public Builder add(BufferedImage image) {
            return add(image, "");
        }

        /** Adds a picture with a caption ("" for none). */
        public Builder add(BufferedImage image, String caption) {
            images.add(Objects.requireNonNull(image, "image"));
            captions.add(Objects.requireNonNull(caption, "caption"));
            return this;
        }

        /** Pixels between pictures and around the strip, &gt;= 0 (default 4). */
        public Builder gap(int gap) {
            this.gap = gap;
            return this;
        }

        /** Scale every picture to this height; 0 keeps the sizes (default). */
        public Builder height(int height) {
            this.height = height;
            return this;
        }

        /** Background colour {@code 0xRRGGBB} (default white). */
        public Builder background(int rgb) {
            this.background = rgb & 0xFFFFFF;
            return this;
        }

        /** Caption colour {@code 0xRRGGBB} (default black). */
        public Builder textColour(int rgb) {
            this.textColour = rgb & 0xFFFFFF;
            return this;
        }

        /** Caption font size in pixels, &gt; 0 (default 12). */
        public Builder fontSize(int fontSize) {
            this.fontSize = fontSize;
            return this;
        }

        public Strip build() {
            if (images.isEmpty()) {
                throw new IllegalArgumentException("A strip needs at least one picture, found none");
            }
            if (gap < 0) {
                throw new IllegalArgumentException("gap must be >= 0, found " + gap);
            }
            if (height < 0) {
                throw new IllegalArgumentException("height must be >= 0 (0 = keep sizes), found " + height);
            }
            if (fontSize <= 0) {
                throw new IllegalArgumentException("fontSize must be > 0, found " + fontSize);
            }
            return new Strip(this);
        }
    }

    /** The strip as a new {@link BufferedImage#TYPE_INT_RGB} image. */
    public BufferedImage render() {
        int n = images.size();
        int[] widths = new int[n];
        int[] heights = new int[n];
        int total = gap;
        int maxH = 0;
        for (int i = 0; i < n; i++) {
            BufferedImage im = images.get(i);
            heights[i] = height == 0 ? im.getHeight() : height;
            widths[i] = height == 0 ? im.getWidth()
                    : Math.max(1, (int) Math.round((double) im.getWidth() * height / im.getHeight()));
            total += widths[i] + gap;
            maxH = Math.max(maxH, heights[i]);
        }
        boolean anyCaption = captions.stream().anyMatch(c -> !c.isEmpty());
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, fontSize);
        int captionHeight = 0;
        FontMetrics metrics = null;
        if (anyCaption) {
            try {
                BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
                Graphics2D pg = probe.createGraphics();
                metrics = pg.getFontMetrics(font);
                pg.dispose();
                captionHeight = metrics.getHeight() + gap;
            } catch (RuntimeException | InternalError | UnsatisfiedLinkError e) {
                LOG.warn("No usable font, strip captions left out: {}", e.toString());
                metrics = null;
            }
        }
        BufferedImage out = new BufferedImage(total, gap + maxH + captionHeight + gap, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setColor(new Color(background));
            g.fillRect(0, 0, out.getWidth(), out.getHeight());
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            int x = gap;
            for (int i = 0; i < n; i++) {
                g.drawImage(images.get(i), x, gap, widths[i], heights[i], null);
                if (metrics != null && !captions.get(i).isEmpty()) {
                    g.setFont(font);
                    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
                    g.setColor(new Color(textColour));
                    String text = captions.get(i);
                    int tw = metrics.stringWidth(text);
                    g.drawString(text, x + Math.max(0, (widths[i] - tw) / 2), gap + maxH + gap / 2 + metrics.getAscent());
                }
                x += widths[i] + gap;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    /** Number of pictures. */
    public int size() {
        return images.size();
    }
}
