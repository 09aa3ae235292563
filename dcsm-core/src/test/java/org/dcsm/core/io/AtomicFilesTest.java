package org.dcsm.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @Test
    void replacesTheFileAndLeavesNothingBeside(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("crf.properties");
        Files.writeString(f, "old");
        AtomicFiles.writeString(f, "new");
        assertThat(f).hasContent("new");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(f);
        }
    }

    @Test
    void aFailingWriterLeavesTheOldFileWhole(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("model.zip");
        Files.writeString(f, "the old model");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(f, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        }));
        assertThat(e).hasMessage("disk full");
        assertThat(f).hasContent("the old model");
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s).containsExactly(f);
        }
        IOException none = assertThrows(IOException.class, () -> AtomicFiles.write(f, tmp -> { }));
        assertThat(none.getMessage()).contains("produced no file");
    }

    @Test
    void temporaryFileIsAHiddenSibling() {
        Path t = AtomicFiles.temporarySibling(Path.of("/data/out/report.html"));
        assertThat(t.getParent()).isEqualTo(Path.of("/data/out"));
        assertThat(t.getFileName().toString()).startsWith(".report.html.tmp-");
    }
}
