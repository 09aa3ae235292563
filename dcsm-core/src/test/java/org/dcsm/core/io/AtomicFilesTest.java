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

    @Test
    void aSetOfFilesIsReplacedWholeOrNotAtAll(@TempDir Path dir) throws IOException {
        Path zip = dir.resolve("model.zip");
        Path props = dir.resolve("model.properties");
        Files.writeString(zip, "old weights");
        Files.writeString(props, "old architecture");
        java.util.Map<Path, AtomicFiles.Content> failing = new java.util.LinkedHashMap<>();
        failing.put(zip, tmp -> Files.writeString(tmp, "new weights"));
        failing.put(props, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        });
        assertThat(org.junit.jupiter.api.Assertions.assertThrows(IOException.class,
                () -> AtomicFiles.writeAll(failing))).hasMessage("disk full");
        // the first file was written completely, yet it is not moved: the old model stays whole
        assertThat(Files.readString(zip)).isEqualTo("old weights");
        assertThat(Files.readString(props)).isEqualTo("old architecture");
        try (var files = Files.list(dir)) {
            assertThat(files).containsExactlyInAnyOrder(zip, props);
        }
        java.util.Map<Path, AtomicFiles.Content> good = new java.util.LinkedHashMap<>();
        good.put(zip, tmp -> Files.writeString(tmp, "new weights"));
        good.put(props, tmp -> Files.writeString(tmp, "new architecture"));
        AtomicFiles.writeAll(good);
        assertThat(Files.readString(zip)).isEqualTo("new weights");
        assertThat(Files.readString(props)).isEqualTo("new architecture");
    }
}
