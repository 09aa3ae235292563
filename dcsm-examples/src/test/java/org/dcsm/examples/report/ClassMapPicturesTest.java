package org.dcsm.examples.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.dcsm.core.ClassList;
import org.dcsm.core.ClassMaps;
import org.dcsm.core.pipeline.Candidate;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.Refiner;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.core.pipeline.SourceResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

class ClassMapPicturesTest {

    @Test
    void nonAsciiClassNamesKeepTheirMapFilesApart(@TempDir Path dir) throws IOException {
        // "猫" and "犬" both become "_" in a file name: the class id keeps the two maps from overwriting each other
        ClassMaps raw = ClassMaps.builder(new int[] {1, 2})
                .add("conv", 2, Nd4j.create(new float[] {1f, 0.5f, 0.5f, 0.5f}, new long[] {2, 1, 2}, 'c')).build();
        SourceResult two = new SourceResult(new double[] {0.9, 0.6}, List.of(new Candidate(1, 0.9),
                new Candidate(2, 0.6)), raw);
        Segmentation s = DcsmPipeline.builder(img -> two, Refiner.argmax()).build()
                .segment(Nd4j.zeros(3, 1, 2));
        Path maps = Files.createDirectories(dir.resolve("maps"));
        List<HtmlReport.Picture> pictures = ClassMapPictures.write(maps, "img", s,
                ClassList.of("background", "猫", "犬"));
        assertThat(pictures).extracting(HtmlReport.Picture::relativePath).containsExactly("maps/img_map_1__.png",
                "maps/img_map_2__.png");
        try (var files = Files.list(maps)) {
            assertThat(files.map(f -> f.getFileName().toString()).sorted().toList())
                    .containsExactly("img_map_1__.png", "img_map_2__.png");
        }
    }
}
