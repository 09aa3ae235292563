package org.dcsm.examples.run;

import org.dcsm.pipeline.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.dcsm.core.ClassList;
import org.dcsm.core.eval.SegmentationScores;

/**
 * The comparison table of the methods: one row per method with its mIoU and per-class IoU (percent),
 * as text for the terminal and as rows for the HTML report. Stateless.
 */
public final class ScoreTable {

    private ScoreTable() {
    }

    /** Header: method, mIoU, then every class name. */
    public static List<String> header(ClassList classes) {
        List<String> h = new ArrayList<>();
        h.add("method");
        h.add("mIoU %");
        h.addAll(classes.names());
        return h;
    }

    /** One row per method present in {@code scores}, in {@link Method} order. */
    public static List<List<String>> rows(Map<Method, SegmentationScores> scores) {
        List<List<String>> rows = new ArrayList<>();
        for (Method m : Method.values()) {
            SegmentationScores s = scores.get(m);
            if (s == null) {
                continue;
            }
            List<String> row = new ArrayList<>();
            row.add(m.title());
            row.add(pct(s.meanIou()));
            for (double iou : s.ious()) {
                row.add(pct(iou));
            }
            rows.add(row);
        }
        return rows;
    }

    /** The table as aligned text. */
    public static String text(ClassList classes, Map<Method, SegmentationScores> scores) {
        return aligned(header(classes), rows(scores));
    }

    /**
     * The same table with rows titled by the caller, in the map's iteration order.
     *
     * @param firstColumn the header of the title column
     */
    public static String titledText(ClassList classes, String firstColumn, Map<String, SegmentationScores> scores) {
        List<String> header = header(classes);
        header.set(0, firstColumn);
        List<List<String>> rows = new ArrayList<>();
        scores.forEach((title, s) -> {
            List<String> row = new ArrayList<>();
            row.add(title);
            row.add(pct(s.meanIou()));
            for (double iou : s.ious()) {
                row.add(pct(iou));
            }
            rows.add(row);
        });
        return aligned(header, rows);
    }

    private static String aligned(List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int c = 0; c < width.length; c++) {
            width[c] = header.get(c).length();
            for (List<String> r : rows) {
                width[c] = Math.max(width[c], r.get(c).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        appendRow(sb, header, width);
        for (List<String> r : rows) {
            appendRow(sb, r, width);
        }
        return sb.toString();
    }

    private static void appendRow(StringBuilder sb, List<String> cells, int[] width) {
        for (int c = 0; c < cells.size(); c++) {
            String fmt = c == 0 ? "%-" + width[c] + "s" : "  %" + width[c] + "s";
            sb.append(String.format(Locale.ROOT, fmt, cells.get(c)));
        }
        sb.append(System.lineSeparator());
    }

    /** A fraction as a percentage with one decimal, "-" for NaN. */
    public static String pct(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }
}
