package org.dcsm.core.io;

import java.io.IOException;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the image reader's front door: any bytes give a 3×H×W image within the pixel limit or an
 * {@link IOException} (including {@link ImageTooLargeException}); nothing else may escape, and nothing
 * larger than the limit may be allocated.
 */
class ImageLoaderFuzzTest {

    private static final ImageLoader LOADER = ImageLoader.builder().maxPixels(1 << 20).build();

    @FuzzTest(maxDuration = "20s")
    void image(byte[] data) {
        try {
            var image = LOADER.read(data, "fuzzed");
            if (image.size(0) != 3 || image.size(1) * image.size(2) > (1 << 20)) {
                throw new AssertionError("bad image shape " + java.util.Arrays.toString(image.shape()));
            }
            image.close();
        } catch (IOException expected) {
            // a clear refusal is the contract
        }
    }
}
