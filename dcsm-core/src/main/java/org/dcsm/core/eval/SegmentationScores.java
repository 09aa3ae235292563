package org.dcsm.core.eval;

import java.util.Locale;
import java.util.Objects;

import org.dcsm.core.ClassList;

/**
 * Scores of a {@link ConfusionMatrix} (an immutable snapshot). With {@code n(g,p)} the matrix,
 * {@code TP_c = n(c,c)}, {@code G_c = Σ_p n(c,p)} (ground-truth pixels), {@code P_c = Σ_g n(g,c)}
 * (predicted pixels):
 * <ul>
 * <li>IoU of class c = {@code TP_c / (G_c + P_c − TP_c)}, NaN when the class is in neither (the VOC
 *     measure, paper Table 1);</li>
 * <li>mIoU = the mean of the per-class IoUs under a {@link MeanRule};</li>
 * <li>pixel accuracy = {@code Σ TP_c / Σ G_c};</li>
 * <li>class accuracy of c = {@code TP_c / G_c}; mean class accuracy = its mean over the classes with
 *     {@code G_c > 0}.</li>
 * </ul>
 * Void pixels are not in the matrix, so they count nowhere. Values are fractions in [0, 1] (the table
 * prints percentages). Arrays returned are copies.
 */
public final class SegmentationScores {

    /** Which classes the mIoU averages over. */
    public enum MeanRule {
        /**
         * Classes present in the ground truth or the prediction (union &gt; 0); the default. It equals
         * VOC's number whenever every class occurs, as on the full VOC val set, and stays meaningful on a
         * subset of images.
         */
        PRESENT_CLASSES,
        /**
         * Every class of the list, as the VOC development kit does; a class absent from both ground
         * truth and prediction has IoU 0/0 = NaN, and the mean is then NaN (as in the devkit).
         */
        ALL_CLASSES
    }

    private final ClassList classes;
    private final long[][] matrix;
    private final long voidPixels;
    private final long images;
    private final MeanRule rule;
    private final long[] tp;
    private final long[] gt;
    private final long[] pred;
    private final double[] iou;
    private final double[] accuracy;
    private final double meanIou;
    private final int meanIouClasses;
    private final double pixelAccuracy;
    private final double meanClassAccuracy;

    SegmentationScores(ClassList classes, long[][] matrix, long voidPixels, long images, MeanRule rule) {
        this.classes = classes;
        this.matrix = matrix;
        this.voidPixels = voidPixels;
        this.images = images;
        this.rule = Objects.requireNonNull(rule, "rule");
        int n = classes.size();
        tp = new long[n];
        gt = new long[n];
        pred = new long[n];
        long total = 0;
        long correct = 0;
        for (int g = 0; g < n; g++) {
            for (int p = 0; p < n; p++) {
                long c = matrix[g][p];
                gt[g] += c;
                pred[p] += c;
                total += c;
            }
            tp[g] = matrix[g][g];
            correct += tp[g];
        }
        iou = new double[n];
        accuracy = new double[n];
        double iouSum = 0;
        int iouCount = 0;
        double accSum = 0;
        int accCount = 0;
        for (int c = 0; c < n; c++) {
            long union = gt[c] + pred[c] - tp[c];
            iou[c] = union == 0 ? Double.NaN : (double) tp[c] / union;
            accuracy[c] = gt[c] == 0 ? Double.NaN : (double) tp[c] / gt[c];
            if (rule == MeanRule.ALL_CLASSES || union > 0) {
                iouSum += iou[c];
                iouCount++;
            }
            if (gt[c] > 0) {
                accSum += accuracy[c];
                accCount++;
            }
        }
        meanIou = iouCount == 0 ? Double.NaN : iouSum / iouCount;
        meanIouClasses = iouCount;
        pixelAccuracy = total == 0 ? Double.NaN : (double) correct / total;
        meanClassAccuracy = accCount == 0 ? Double.NaN : accSum / accCount;
    }

    /** The class list. */
    public ClassList classes() {
        return classes;
    }

    /** The mIoU rule used. */
    public MeanRule meanRule() {
        return rule;
    }

    /** IoU of class id {@code c}; NaN when it is in neither ground truth nor prediction. */
    public double iou(int c) {
        return iou[check(c)];
    }

    /** Per-class IoU (a copy). */
    public double[] ious() {
        return iou.clone();
    }

    /** Class accuracy (recall) {@code TP_c / G_c}; NaN when the class has no ground-truth pixel. */
    public double accuracy(int c) {
        return accuracy[check(c)];
    }

    /** The mean IoU under {@link #meanRule()}; NaN when no class qualifies. */
    public double meanIou() {
        return meanIou;
    }

    /** How many classes the mIoU averaged. */
    public int meanIouClasses() {
        return meanIouClasses;
    }

    /** Correct pixels over counted pixels. */
    public double pixelAccuracy() {
        return pixelAccuracy;
    }

    /** Mean of the class accuracies over classes with ground-truth pixels. */
    public double meanClassAccuracy() {
        return meanClassAccuracy;
    }

    /** Ground-truth pixels of class c. */
    public long groundTruthPixels(int c) {
        return gt[check(c)];
    }

    /** Pixels predicted as class c (at non-void ground truth). */
    public long predictedPixels(int c) {
        return pred[check(c)];
    }

    /** Correctly predicted pixels of class c. */
    public long truePositives(int c) {
        return tp[check(c)];
    }

    /** Counted pixels. */
    public long pixels() {
        long t = 0;
        for (long g : gt) {
            t += g;
        }
        return t;
    }

    /** Void pixels skipped. */
    public long voidPixels() {
        return voidPixels;
    }

    /** Images evaluated. */
    public long images() {
        return images;
    }

    private int check(int c) {
        if (c < 0 || c >= iou.length) {
            throw new IllegalArgumentException("Class id " + c + " is outside 0.." + (iou.length - 1));
        }
        return c;
    }

    /**
     * A fixed-width table: one row per class (IoU and accuracy in percent, pixel counts), then the means.
     * Classes in neither ground truth nor prediction show "-".
     */
    public String table() {
        int nameWidth = 5;
        for (String name : classes.names()) {
            nameWidth = Math.max(nameWidth, name.length());
        }
        StringBuilder sb = new StringBuilder();
        String head = "%-" + nameWidth + "s  %7s  %7s  %14s  %14s%n";
        String row = "%-" + nameWidth + "s  %7s  %7s  %14d  %14d%n";
        sb.append(String.format(Locale.ROOT, head, "class", "IoU %", "acc %", "gt pixels", "pred pixels"));
        for (int c = 0; c < iou.length; c++) {
            sb.append(String.format(Locale.ROOT, row, classes.name(c), pct(iou[c]), pct(accuracy[c]), gt[c], pred[c]));
        }
        sb.append(String.format(Locale.ROOT, "%-" + nameWidth + "s  %7s  (%s, %d classes)%n", "mIoU", pct(meanIou),
                rule == MeanRule.ALL_CLASSES ? "all classes" : "classes present", meanIouClasses));
        sb.append(String.format(Locale.ROOT, "pixel accuracy %s %%, mean class accuracy %s %%%n",
                pct(pixelAccuracy).strip(), pct(meanClassAccuracy).strip()));
        sb.append(String.format(Locale.ROOT, "%d images, %d pixels counted, %d void pixels ignored%n", images,
                pixels(), voidPixels));
        return sb.toString();
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", 100 * v);
    }

    /**
     * CSV with a header row and one row per class:
     * {@code id,class,iou,accuracy,gt_pixels,pred_pixels,true_positives} (fractions; NaN as an empty
     * field; names quoted when needed, RFC 4180), then rows {@code ,mean_iou,...}, {@code ,pixel_accuracy,...}
     * and {@code ,mean_class_accuracy,...} with the value in the iou column.
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("id,class,iou,accuracy,gt_pixels,pred_pixels,true_positives\n");
        for (int c = 0; c < iou.length; c++) {
            sb.append(c).append(',').append(csv(classes.name(c))).append(',').append(num(iou[c], ""))
                    .append(',').append(num(accuracy[c], "")).append(',').append(gt[c]).append(',').append(pred[c])
                    .append(',').append(tp[c]).append('\n');
        }
        sb.append(",mean_iou,").append(num(meanIou, "")).append(",,,,\n");
        sb.append(",pixel_accuracy,").append(num(pixelAccuracy, "")).append(",,,,\n");
        sb.append(",mean_class_accuracy,").append(num(meanClassAccuracy, "")).append(",,,,\n");
        return sb.toString();
    }

    private static String csv(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static String num(double v, String nan) {
        return Double.isFinite(v) ? Double.toString(v) : nan;
    }

    /**
     * JSON (hand-written: the structure is small and flat, so dcsm-core needs no JSON library):
     * {@code {"meanIou", "meanIouRule", "meanIouClasses", "pixelAccuracy", "meanClassAccuracy", "images",
     * "pixels", "voidPixels", "classes": [{"id", "name", "iou", "accuracy", "gtPixels", "predPixels",
     * "truePositives"}], "confusion": [[...]]}}; NaN is written as {@code null}, strings are escaped.
     */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{\n");
        sb.append("  \"meanIou\": ").append(num(meanIou, "null")).append(",\n");
        sb.append("  \"meanIouRule\": \"").append(rule.name()).append("\",\n");
        sb.append("  \"meanIouClasses\": ").append(meanIouClasses).append(",\n");
        sb.append("  \"pixelAccuracy\": ").append(num(pixelAccuracy, "null")).append(",\n");
        sb.append("  \"meanClassAccuracy\": ").append(num(meanClassAccuracy, "null")).append(",\n");
        sb.append("  \"images\": ").append(images).append(",\n");
        sb.append("  \"pixels\": ").append(pixels()).append(",\n");
        sb.append("  \"voidPixels\": ").append(voidPixels).append(",\n");
        sb.append("  \"classes\": [\n");
        for (int c = 0; c < iou.length; c++) {
            sb.append("    {\"id\": ").append(c).append(", \"name\": ").append(jsonString(classes.name(c)))
                    .append(", \"iou\": ").append(num(iou[c], "null"))
                    .append(", \"accuracy\": ").append(num(accuracy[c], "null"))
                    .append(", \"gtPixels\": ").append(gt[c]).append(", \"predPixels\": ").append(pred[c])
                    .append(", \"truePositives\": ").append(tp[c]).append('}')
                    .append(c + 1 < iou.length ? ",\n" : "\n");
        }
        sb.append("  ],\n  \"confusion\": [\n");
        for (int g = 0; g < matrix.length; g++) {
            sb.append("    [");
            for (int p = 0; p < matrix.length; p++) {
                sb.append(p == 0 ? "" : ", ").append(matrix[g][p]);
            }
            sb.append(g + 1 < matrix.length ? "],\n" : "]\n");
        }
        sb.append("  ]\n}\n");
        return sb.toString();
    }

    /** A JSON string literal with quotes, backslashes and control characters escaped (RFC 8259). */
    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SegmentationScores[mIoU=%.4f (%s), pixelAcc=%.4f, images=%d]", meanIou,
                rule, pixelAccuracy, images);
    }
}
