package org.dcsm.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NativeBackendTest {

    @Test
    void oneDnnNeedsTheBuildLinuxX8664AndAvx2(@TempDir Path dir) throws Exception {
        Path avx2 = Files.writeString(dir.resolve("avx2"), "processor\t: 0\nflags\t\t: fpu sse2 avx avx2 fma\n");
        Path noAvx2 = Files.writeString(dir.resolve("plain"), "processor\t: 0\nflags\t\t: fpu sse2 avx avx2x\n");
        assertThat(NativeBackend.oneDnnUsable(true, "Linux", "amd64", avx2)).isTrue();
        assertThat(NativeBackend.oneDnnUsable(false, "Linux", "amd64", avx2)).isFalse();
        assertThat(NativeBackend.oneDnnUsable(true, "Linux", "aarch64", avx2)).isFalse();
        assertThat(NativeBackend.oneDnnUsable(true, "Mac OS X", "x86_64", avx2)).isFalse();
        assertThat(NativeBackend.oneDnnUsable(true, "Linux", "amd64", noAvx2)).isFalse();
        assertThat(NativeBackend.oneDnnUsable(true, "Linux", "amd64", dir.resolve("missing"))).isFalse();
    }
}
