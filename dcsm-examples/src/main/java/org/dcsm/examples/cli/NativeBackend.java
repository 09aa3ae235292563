package org.dcsm.examples.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Picks ND4J's oneDNN build for the command line when it can: the jar holds it (the {@code onednn} Maven
 * profile, on by default on Linux x86-64) and the CPU has AVX2. It only sets JavaCPP's
 * {@code org.bytedeco.javacpp.platform.extension} system property, before ND4J loads, and never when the
 * user has set it (an empty value keeps the plain build). The library modules stay backend-neutral: this is
 * the application's choice.
 */
final class NativeBackend {

    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    static final String ONEDNN_AVX2 = "-onednn-avx2";
    private static final String ONEDNN_LIBRARY =
            "org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libjnind4jcpu.so";

    private NativeBackend() {
    }

    /** Sets the extension to {@value #ONEDNN_AVX2} when {@link #oneDnnUsable} and the user has not chosen. */
    static void preferOneDnn() {
        if (System.getProperty(EXTENSION_PROPERTY) == null
                && oneDnnUsable(NativeBackend.class.getClassLoader().getResource(ONEDNN_LIBRARY) != null,
                        System.getProperty("os.name", ""), System.getProperty("os.arch", ""), Path.of("/proc/cpuinfo"))) {
            System.setProperty(EXTENSION_PROPERTY, ONEDNN_AVX2);
        }
    }

    /** Whether the oneDNN/AVX2 build is on the class path, the platform is Linux x86-64 and the CPU has AVX2. */
    static boolean oneDnnUsable(boolean onClassPath, String osName, String osArch, Path cpuinfo) {
        if (!onClassPath || !osName.toLowerCase(Locale.ROOT).startsWith("linux")
                || !(osArch.equals("amd64") || osArch.equals("x86_64"))) {
            return false;
        }
        try (Stream<String> lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("flags")).findFirst()
                    .map(l -> (" " + l.substring(l.indexOf(':') + 1) + " ").contains(" avx2 ")).orElse(false);
        } catch (IOException | java.io.UncheckedIOException e) {
            return false;
        }
    }
}
