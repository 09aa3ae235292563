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
    void writtenFilesGetTheSamePermissionsAsAnyNewFile(@TempDir Path dir) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"),
                "POSIX permissions only");
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x"); // what the umask gives
        Path atomic = dir.resolve("atomic.txt");
        AtomicFiles.writeString(atomic, "x");
        Path png = dir.resolve("img.png");
        ImageFiles.writePng(new java.awt.image.BufferedImage(2, 2, java.awt.image.BufferedImage.TYPE_INT_RGB), png);
        assertThat(Files.getPosixFilePermissions(atomic)).isEqualTo(Files.getPosixFilePermissions(plain));
        assertThat(Files.getPosixFilePermissions(png)).isEqualTo(Files.getPosixFilePermissions(plain));
    }

    @Test
    void temporaryFileIsAHiddenSibling() {
        Path t = AtomicFiles.temporarySibling(Path.of("/data/out/report.html"));
        assertThat(t.getParent()).isEqualTo(Path.of("/data/out"));
        assertThat(t.getFileName().toString()).startsWith(".report.html.tmp-");
    }
}
