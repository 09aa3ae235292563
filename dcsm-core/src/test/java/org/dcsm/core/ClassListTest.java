package org.dcsm.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassListTest {

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstName(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("classes.txt");
        Files.writeString(f, "\uFEFFbackground\ncat\n# comment\n\ndog\n", StandardCharsets.UTF_8);
        assertThat(ClassList.read(f)).isEqualTo(ClassList.of("background", "cat", "dog"));
    }

    @Test
    void nonUtf8FilesAreNamed(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("classes.txt");
        Files.write(f, new byte[] {'b', 'g', '\n', (byte) 0xe9, 't', '\n'});
        assertThat(assertThrows(IOException.class, () -> ClassList.read(f)).getMessage())
                .contains("classes.txt is not UTF-8 text");
    }
}
