package org.dcsm.examples.report;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.dcsm.core.ClassList;
import org.dcsm.core.LabelMap;
import org.dcsm.core.eval.SegmentationScores;
import org.dcsm.core.io.ImageFiles;
import org.dcsm.core.io.Images;
import org.dcsm.core.io.LabelMapPng;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.examples.run.Evaluator;
import org.dcsm.pipeline.Method;
import org.dcsm.examples.run.ScoreTable;

/**
 * The report of an evaluation run: {@code report.html} with the mIoU table and a gallery of
 * image | ground truth | class maps | each method's segmentation, the pictures as PNGs in
 * {@code pictures/} beside it, and the scores as {@code scores.csv}/{@code scores.json} per method.
 */
public final class RunReport {

    private RunReport() {
    }

    /**
     * Collects the first {@code limit} outcomes' pictures as they come (an {@link Evaluator.OutcomeSink}).
     * Not thread-safe.
     */
    public static final class Gallery implements Evaluator.OutcomeSink {
        private final Path pictures;
        private final ClassList classes;
        private final int limit;
        private final List<String> ids = new ArrayList<>();
        private final List<List<HtmlReport.Picture>> rows = new ArrayList<>();

        public Gallery(Path out, ClassList classes, int limit) throws IOException {
            this.pictures = out.resolve("pictures");
            this.classes = Objects.requireNonNull(classes, "classes");
            if (limit < 0) {
                throw new IllegalArgumentException("gallery limit must be >= 0, found " + limit);
            }
            this.limit = limit;
            Files.createDirectories(pictures);
        }

        @Override
        public void accept(Evaluator.Outcome o) throws IOException {
            if (rows.size() >= limit) {
                return;
            }
            List<HtmlReport.Picture> row = new ArrayList<>();
            row.add(png(o.id() + "_image.png", Images.toBufferedImage(o.image()), "image"));
            row.add(png(o.id() + "_truth.png", LabelMapPng.toIndexedImage(o.truth()), "ground truth " + names(o.truth())));
            Segmentation dcsm = o.segmentations().get(Method.DCSM);
            if (dcsm == null) {
                dcsm = o.segmentations().get(Method.DCSM_NOCRF);
            }
            if (dcsm != null) {
                row.addAll(ClassMapPictures.write(pictures, o.id(), dcsm, classes));
            }
            for (Method m : Method.values()) {
                LabelMap l = o.labels().get(m);
                if (l != null) {
                    row.add(png(o.id() + "_" + m.cliName().replace('-', '_') + ".png", LabelMapPng.toIndexedImage(l),
                            m.title() + " " + names(l)));
                }
            }
            ids.add(o.id());
            rows.add(row);
        }

        private HtmlReport.Picture png(String name, BufferedImage image, String caption) throws IOException {
            ImageFiles.writePng(image, pictures.resolve(name));
            return new HtmlReport.Picture("pictures/" + name, caption);
        }

        private String names(LabelMap labels) {
            List<String> n = new ArrayList<>();
            for (int id : labels.distinctIds()) {
                if (id != 0 && id < classes.size()) {
                    n.add(classes.name(id));
                }
            }
            return n.toString();
        }
    }

    /**
     * Writes {@code report.html} (and {@code scores_<method>.csv/.json}) into {@code out}.
     *
     * @param gallery the pictures collected during the run, or null
     * @return the page
     */
    public static Path write(Path out, String title, ClassList classes, Map<Method, SegmentationScores> scores,
                             Gallery gallery, List<String> notes) throws IOException {
        Files.createDirectories(out);
        HtmlReport.Builder page = HtmlReport.builder(title);
        for (String note : notes) {
            page.paragraph(note);
        }
        page.heading("Mean IoU (percent)").table(ScoreTable.header(classes), ScoreTable.rows(scores));
        for (Map.Entry<Method, SegmentationScores> e : scores.entrySet()) {
            String stem = "scores_" + e.getKey().cliName().replace('-', '_');
            Files.writeString(out.resolve(stem + ".csv"), e.getValue().toCsv());
            Files.writeString(out.resolve(stem + ".json"), e.getValue().toJson());
        }
        if (gallery != null && !gallery.rows.isEmpty()) {
            page.heading("Gallery").paragraph("Each row: image | ground truth | DCSM class maps (Eq. 5, one per "
                    + "candidate, with its probability) | segmentations. Colours: PASCAL VOC palette by class id.");
            for (int i = 0; i < gallery.rows.size(); i++) {
                page.galleryRow(gallery.ids.get(i), gallery.rows.get(i));
            }
        }
        return page.write(out.resolve("report.html"));
    }
}
