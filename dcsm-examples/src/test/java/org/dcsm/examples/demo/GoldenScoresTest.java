package org.dcsm.examples.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.zip.CRC32;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.core.LabelMap;
import org.dcsm.core.eval.ConfusionMatrix;
import org.dcsm.core.pipeline.Candidate;
import org.dcsm.core.pipeline.DcsmPipeline;
import org.dcsm.core.pipeline.Segmentation;
import org.dcsm.examples.data.Scene;
import org.dcsm.examples.data.SyntheticScenes;
import org.dcsm.pipeline.DcsmPipelines;
import org.dcsm.pipeline.MethodPreset;
import org.dcsm.pipeline.MethodSettings;
import org.junit.jupiter.api.Test;

/**
 * Golden scores (issue 14, item 7): four seeded synthetic scenes through DCSM (with and without the CRF) and the
 * Simonyan baseline on a small FCN with seeded weights, at the demo's saliency scales (3, 3.5 and 4 times the
 * side). The candidates, the mIoU of each method and a CRC32 of each method's label maps must equal
 * {@code golden-scores.properties} beside this class to the last digit: any change of the numbers anywhere in
 * Eq. 1-8 (a different rounding, a changed default, a step that reads other memory) shows here, while the other
 * tests' tolerances and orderings would let it through. The weights are random, so the scores say nothing about
 * quality (the round trip's floor does that); they only have to stay the same.
 *
 * <p>The values are deterministic for a given machine and ND4J thread count (the pipeline runs its own steps on
 * one thread; ND4J's convolutions use its OpenMP pool, 2 threads on the 2-core machine that recorded them: two
 * runs gave the same file). Another CPU (other SIMD kernels) or thread count may round convolutions differently.
 *
 * <p><b>Regenerating</b>, after a change that is meant to move the numbers (say why in the commit):
 * {@code mvn -B -ntp -o -pl dcsm-examples -am test -Dtest=GoldenScoresTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Ddcsm.golden.regenerate=true} writes {@code src/test/resources/org/dcsm/examples/demo/golden-scores.properties}
 * from this run (the test then checks the run against what it wrote); {@code git diff} shows what moved.
 */
class GoldenScoresTest {

    private static final String FILE = "golden-scores.properties";
    private static final Path SOURCE = Path.of("src/test/resources/org/dcsm/examples/demo", FILE);

    @Test
    void seededScenesGiveTheGoldenScores() throws IOException {
        Map<String, String> now = run();
        if (Boolean.getBoolean("dcsm.golden.regenerate")) {
            write(now);
        }
        Map<String, String> golden = read();
        assertThat(now).as("this run against %s (regenerate as this class's javadoc says, if the change is meant)",
                FILE).containsExactlyEntriesOf(golden);
    }

    /** The golden keys and values of this build. */
    static Map<String, String> run() {
        SyntheticScenes scenes = SyntheticScenes.builder().seed(2016).size(48).classCount(4).objects(1, 2).build();
        FcnModel model = FcnModel.initialise(SmallVggFcn.architecture(8, 16, 16, 32, 32), scenes.classes(), 14L);
        MethodSettings settings = MethodSettings.defaults(new int[] {144, 168, 192}, 1);
        DcsmPipeline dcsm = DcsmPipelines.from(model, settings);
        DcsmPipeline baseline = DcsmPipelines.simonyan(model, settings.baseline(MethodPreset.SIMONYAN_DEFAULT));
        ConfusionMatrix withCrf = ConfusionMatrix.of(scenes.classes());
        ConfusionMatrix withoutCrf = ConfusionMatrix.of(scenes.classes());
        ConfusionMatrix simonyan = ConfusionMatrix.of(scenes.classes());
        CRC32 withCrfLabels = new CRC32();
        CRC32 withoutCrfLabels = new CRC32();
        CRC32 simonyanLabels = new CRC32();
        Map<String, String> out = new TreeMap<>();
        for (Scene scene : scenes.list(0, 4)) {
            Segmentation d = dcsm.segment(scene.image());
            Segmentation b = baseline.segment(scene.image());
            withCrf.add(scene.mask(), d.labels());
            withoutCrf.add(scene.mask(), d.unrefinedLabels());
            simonyan.add(scene.mask(), b.labels());
            update(withCrfLabels, d.labels());
            update(withoutCrfLabels, d.unrefinedLabels());
            update(simonyanLabels, b.labels());
            out.put("candidates." + scene.id(), candidates(d.candidates()));
        }
        out.put("dcsm.crf.miou", String.format(Locale.ROOT, "%.6f", withCrf.scores().meanIou()));
        out.put("dcsm.nocrf.miou", String.format(Locale.ROOT, "%.6f", withoutCrf.scores().meanIou()));
        out.put("simonyan.crf.miou", String.format(Locale.ROOT, "%.6f", simonyan.scores().meanIou()));
        out.put("dcsm.crf.labels.crc32", Long.toHexString(withCrfLabels.getValue()));
        out.put("dcsm.nocrf.labels.crc32", Long.toHexString(withoutCrfLabels.getValue()));
        out.put("simonyan.crf.labels.crc32", Long.toHexString(simonyanLabels.getValue()));
        return out;
    }

    private static void update(CRC32 crc, LabelMap labels) {
        int[] ids = labels.toArray();
        ByteBuffer bytes = ByteBuffer.allocate(4 * ids.length);
        for (int id : ids) {
            bytes.putInt(id);
        }
        crc.update(bytes.array());
    }

    private static String candidates(List<Candidate> candidates) {
        List<String> parts = new ArrayList<>();
        for (Candidate c : candidates) {
            parts.add(c.classId() + "@" + String.format(Locale.ROOT, "%.6f", c.score()));
        }
        return String.join(" ", parts);
    }

    private static Map<String, String> read() throws IOException {
        try (InputStream in = GoldenScoresTest.class.getResourceAsStream(FILE)) {
            assertThat(in).as("%s beside %s (regenerate as its javadoc says)", FILE, GoldenScoresTest.class).isNotNull();
            Properties p = new Properties();
            p.load(new StringReader(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            Map<String, String> golden = new TreeMap<>();
            p.stringPropertyNames().forEach(k -> golden.put(k, p.getProperty(k)));
            return golden;
        }
    }

    /** Writes the source file (sorted keys, no date, so that an unchanged run rewrites the same bytes). */
    private static void write(Map<String, String> values) throws IOException {
        StringBuilder text = new StringBuilder("# Golden scores of GoldenScoresTest; regenerate as its javadoc says.\n");
        values.forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
        Files.createDirectories(SOURCE.getParent());
        Files.writeString(SOURCE, text);
        Path compiled = Path.of("target/test-classes/org/dcsm/examples/demo", FILE);
        Files.createDirectories(compiled.getParent());
        Files.writeString(compiled, text); // what read() sees in this run
    }
}
