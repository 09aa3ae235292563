package org.dcsm.examples.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HtmlReportTest {

    @TempDir
    Path dir;

    @Test
    void writesASelfContainedPage() throws IOException {
        Files.createDirectories(dir.resolve("pics"));
        Files.write(dir.resolve("pics/a.png"), new byte[] {1});
        Path page = HtmlReport.builder("Run <1>")
                .paragraph("DCSM & CRF")
                .table(List.of("method", "mIoU"), List.of(List.of("DCSM + CRF", "51.2")))
                .galleryRow("img_1", List.of(new HtmlReport.Picture("pics/a.png", "image")))
                .write(dir.resolve("report.html"));
        String html = Files.readString(page);
        assertThat(html).contains("<title>Run &lt;1&gt;</title>", "<p>DCSM &amp; CRF</p>",
                "<td>DCSM + CRF</td><td>51.2</td>", "<img src=\"pics/a.png\"");
        assertThat(html).doesNotContain("http:", "https:", "<script", "<link");
    }

    @Test
    void galleryLinksSurviveIdsWithUrlCharacters() {
        assertThat(HtmlReport.urlPath("pictures/a#1?x=%2 b_dcsm.png"))
                .isEqualTo("pictures/a%231%3Fx%3D%252%20b_dcsm.png");
        assertThat(HtmlReport.urlPath("pictures/chat_é.png")).isEqualTo("pictures/chat_%C3%A9.png");
    }

    @Test
    void rejectsBrokenPagesWithAMessage() {
        assertThat(assertThrows(IllegalArgumentException.class, () -> new HtmlReport.Picture("http://x/a.png", "a")))
                .hasMessageContaining("relative paths inside the report folder, found 'http://x/a.png'");
        assertThat(assertThrows(IllegalArgumentException.class, () -> new HtmlReport.Picture("../a.png", "a")))
                .hasMessageContaining("'../a.png'");
        assertThat(assertThrows(IllegalArgumentException.class,
                () -> HtmlReport.builder("t").table(List.of("a", "b"), List.of(List.of("1")))))
                .hasMessage("Table row 0 has 1 cells, the header 2");
        var missing = HtmlReport.builder("t").galleryRow("x", List.of(new HtmlReport.Picture("nope.png", "n")));
        assertThat(assertThrows(IOException.class, () -> missing.write(dir.resolve("r.html"))))
                .hasMessageContaining("nope.png does not exist");
    }
}
