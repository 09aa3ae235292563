package org.dcsm.examples.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.io.ImageFiles;
import org.dcsm.core.pipeline.Candidate;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.core.render.HeatMap;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Writes the fused DCSM class maps of one image (Eq. 5, one per candidate) as heat-map PNGs (jet,
 * linear in {@code x / max x}: the maps are already tanh-normalised by Eq. 5). Stateless.
 */
public final class ClassMapPictures {

    private static final HeatMap LINEAR = HeatMap.builder().alpha(0).build();

    private ClassMapPictures() {
    }

    /**
     * Writes {@code <id>_map_<classId>_<class>.png} for every candidate into {@code dir}; the class id keeps
     * the names apart when the class names differ only in characters that a file name cannot hold (they
     * become {@code _}).
     *
     * @return the gallery cells (paths relative to {@code dir}'s parent), empty without candidates
     */
    public static List<HtmlReport.Picture> write(Path dir, String id, Segmentation s, ClassList classes)
            throws IOException {
        List<HtmlReport.Picture> out = new ArrayList<>();
        if (s.fusedMaps().isEmpty()) {
            return out;
        }
        ClassMaps fused = s.fusedMaps().get();
        INDArray maps = fused.single();
        List<Candidate> candidates = s.candidates();
        for (int j = 0; j < candidates.size(); j++) {
            Candidate c = candidates.get(j);
            String name = c.classId() < classes.size() ? classes.name(c.classId()) : "class" + c.classId();
            String file = id + "_map_" + c.classId() + "_" + name.replaceAll("[^A-Za-z0-9_.-]", "_") + ".png";
            ImageFiles.writePng(LINEAR.renderChannel(maps, fused.channelOf(c.classId())), dir.resolve(file));
            out.add(new HtmlReport.Picture(dir.getFileName() + "/" + file,
                    String.format(Locale.ROOT, "%s p=%.2f", name, c.score())));
        }
        return out;
    }
}
