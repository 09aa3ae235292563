package org.dcsm.backprop.net;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serial;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;

import org.dcsm.core.ClassList;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Model folders are data: hostile {@code model.zip} files are refused with a message, never run or loaded whole. */
class ModelArchiveTest {

    private static final VggStyleFcn TINY = SmallVggFcn.architecture().toBuilder()
            .name("Tiny").blockWidths(4, 8).blockDepths(1, 1).fc6Width(6).fc6Kernel(3).fc6Padding(1).fc7Width(5)
            .build();
    private static final ClassList CLASSES = ClassList.of("background", "cat", "dog");

    /** Set when a {@link Trap} is deserialised. */
    static volatile boolean trapSprung;

    /** A class whose deserialisation leaves a trace. */
    static final class Trap implements Serializable {
        @Serial
        private static final long serialVersionUID = 1L;

        @Serial
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            trapSprung = true;
        }
    }

    private static Path savedModel(Path dir) throws IOException {
        FcnModel.initialise(TINY, CLASSES, 3).save(dir);
        return dir.resolve(FcnModel.MODEL_FILE);
    }

    private static Map<String, byte[]> entries(Path zipFile) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (ZipFile z = new ZipFile(zipFile.toFile())) {
            for (ZipEntry e : java.util.Collections.list(z.entries())) {
                m.put(e.getName(), z.getInputStream(e).readAllBytes());
            }
        }
        return m;
    }

    private static void writeZip(Path file, Map<String, byte[]> entries) throws IOException {
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                out.putNextEntry(new ZipEntry(e.getKey()));
                out.write(e.getValue());
                out.closeEntry();
            }
        }
    }

    @Test
    void preprocessorEntryIsRefusedWithoutBeingDeserialised(@TempDir Path dir) throws IOException {
        Path zip = savedModel(dir);
        Map<String, byte[]> e = entries(zip);
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (ObjectOutputStream oos = new ObjectOutputStream(payload)) {
            oos.writeObject(new Trap());
        }
        e.put("preprocessor.bin", payload.toByteArray());
        writeZip(zip, e);
        trapSprung = false;
        IOException ex = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(ex.getMessage()).contains("'preprocessor.bin'").contains("never opened");
        assertThat(trapSprung).isFalse();
        // DL4J's own reader does run it (then fails on the type): the reason ModelArchive exists
        assertThrows(ClassCastException.class, () -> ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false));
        assertThat(trapSprung).isTrue();
    }

    /** Sets the uncompressed size that the headers of {@code entry} declare, as a hostile writer may. */
    private static void forgeDeclaredSize(Path zip, String entry, long size) throws IOException {
        byte[] b = Files.readAllBytes(zip);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        byte[] name = entry.getBytes(StandardCharsets.UTF_8);
        int patched = 0;
        for (int i = 0; i + 46 < b.length; i++) {
            int sig = buf.getInt(i);
            int nameAt = sig == 0x02014b50 ? i + 46 : sig == 0x04034b50 ? i + 30 : -1;
            int lengthAt = sig == 0x02014b50 ? i + 28 : i + 26;
            int sizeAt = sig == 0x02014b50 ? i + 24 : i + 22;
            if (nameAt > 0 && (buf.getShort(lengthAt) & 0xffff) == name.length && nameAt + name.length <= b.length
                    && java.util.Arrays.equals(b, nameAt, nameAt + name.length, name, 0, name.length)) {
                buf.putInt(sizeAt, (int) size);
                patched++;
            }
        }
        assertThat(patched).isPositive();
        Files.write(zip, b);
    }

    @Test
    void declaredHugeEntryIsRefusedBeforeInflating(@TempDir Path dir) throws IOException {
        Path zip = savedModel(dir);
        forgeDeclaredSize(zip, ModelArchive.COEFFICIENTS, 2_000_000_000L);
        IOException ex = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(ex.getMessage()).contains("declares 2000000000 bytes, more than the");
    }

    @Test
    void zipBombIsCutAtTheCapWhateverTheHeadersSay(@TempDir Path dir) throws IOException {
        Path zip = savedModel(dir);
        Map<String, byte[]> e = entries(zip);
        byte[] spaces = new byte[32 << 20]; // 32 MB of blanks deflate to ~32 KB
        java.util.Arrays.fill(spaces, (byte) ' ');
        e.put(ModelArchive.CONFIGURATION, spaces);
        writeZip(zip, e);
        assertThat(Files.size(zip)).isLessThan(200_000);
        IOException declared = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(declared.getMessage()).contains("declares 33554432 bytes");
        forgeDeclaredSize(zip, ModelArchive.CONFIGURATION, 1000); // headers that lie about the size
        IOException ex = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(ex.getMessage()).contains("inflates to more than").contains("zip bomb");
    }

    @Test
    void coefficientsWithTrailingDataAreRefused(@TempDir Path dir) throws IOException {
        Path zip = savedModel(dir);
        Map<String, byte[]> e = entries(zip);
        byte[] coeff = e.get(ModelArchive.COEFFICIENTS);
        e.put(ModelArchive.COEFFICIENTS, java.util.Arrays.copyOf(coeff, coeff.length + 64));
        writeZip(zip, e);
        assertThat(assertThrows(IOException.class, () -> FcnModel.load(dir)).getMessage())
                .contains("has data after its");
    }

    @Test
    void forgedParameterCountIsRefusedBeforeAllocating(@TempDir Path dir) throws IOException {
        Path zip = savedModel(dir);
        Map<String, byte[]> e = entries(zip);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(b)) {
            out.writeUTF("MIXED_DATA_TYPES");
            out.writeLong(6);
            out.writeUTF("LONG");
            for (long v : new long[] {1, 1L << 40, 1, 8192, 1, 99}) {
                out.writeLong(v);
            }
            out.writeUTF("MIXED_DATA_TYPES");
            out.writeLong(1L << 40);
            out.writeUTF("FLOAT");
        }
        e.put(ModelArchive.COEFFICIENTS, b.toByteArray());
        writeZip(zip, e);
        IOException ex = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(ex.getMessage()).contains("holds 1099511627776 parameters but the architecture");
    }

    @Test
    void truncatedEmptyAndNonZipFilesGetClearMessages(@TempDir Path dir) throws IOException {
        Path zip = savedModel(dir);
        byte[] good = Files.readAllBytes(zip);
        Map<String, byte[]> e = entries(zip);
        byte[] coeff = e.get(ModelArchive.COEFFICIENTS);
        e.put(ModelArchive.COEFFICIENTS, java.util.Arrays.copyOf(coeff, coeff.length - 10));
        writeZip(zip, e);
        assertThat(assertThrows(IOException.class, () -> FcnModel.load(dir)).getMessage()).contains("truncated");
        Files.write(zip, new byte[0]);
        assertThat(assertThrows(IOException.class, () -> FcnModel.load(dir)).getMessage()).contains("is empty");
        Files.write(zip, java.util.Arrays.copyOf(good, 100));
        assertThat(assertThrows(IOException.class, () -> FcnModel.load(dir)).getMessage())
                .contains("not a readable zip file");
        Files.writeString(zip, "hello");
        assertThat(assertThrows(IOException.class, () -> FcnModel.load(dir)).getMessage())
                .contains("not a readable zip file");
    }

    @Test
    void nonFiniteWeightsAreRefused(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = TINY.buildInferenceNetwork(2, 3);
        net.params().putScalar(5, Float.NaN);
        FcnModel.of(net, CLASSES, TINY).save(dir);
        assertThat(assertThrows(IOException.class, () -> FcnModel.load(dir)).getMessage()).contains("parameter 5 is NaN");
    }

    @Test
    void propertiesThatDoNotDescribeTheStoredNetworkAreRefused(@TempDir Path dir) throws IOException {
        savedModel(dir);
        Path props = dir.resolve(FcnModel.PROPERTIES_FILE);
        String text = Files.readString(props, StandardCharsets.UTF_8);
        Files.writeString(props, text.replace("arch.blockDepths=1,1", "arch.blockDepths=2,1"));
        IOException depth = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(depth.getMessage()).contains("stores 9 layers but model.properties describes 10")
                .contains("arch.blockDepths");
        Files.writeString(props, text.replace("arch.blockWidths=4,8", "arch.blockWidths=4,9"));
        IOException width = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(width.getMessage()).contains("('conv2_1') has nout 8 but model.properties describes 9");
        Files.writeString(props, text.replace("trainingInputSize=0", "trainingInputSize=-5"));
        IOException size = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(size.getMessage()).contains("Bad model properties").contains("trainingInputSize must be >= 0")
                .doesNotContain(FcnModel.MODEL_FILE);
        Files.writeString(props, text.replace("arch.fc6Padding=1", "arch.fc6Padding=0"));
        IOException padding = assertThrows(IOException.class, () -> FcnModel.load(dir));
        assertThat(padding.getMessage()).contains("('fc6') has padding [1,1]");
    }

    @Test
    void badPropertyValuesAreNamedWithTheirEntryAndFile(@TempDir Path dir) throws IOException {
        savedModel(dir);
        String text = Files.readString(dir.resolve(FcnModel.PROPERTIES_FILE), StandardCharsets.UTF_8);
        assertThat(refusal(dir, text.replace("trainingInputSize=0", "trainingInputSize=1e9").getBytes(UTF_8)))
                .contains("Bad model properties", FcnModel.PROPERTIES_FILE,
                        "entry 'trainingInputSize' must be a whole number, found '1e9'")
                .doesNotContain(FcnModel.MODEL_FILE);
        assertThat(refusal(dir, text.replace("arch.blockDepths=1,1", "arch.blockDepths=1,x").getBytes(UTF_8)))
                .contains("entry 'arch.blockDepths' must be whole numbers separated by commas, found '1,x'");
        // a single number's entry holds one number, not a list whose first value would be taken
        String fc6 = text.lines().filter(l -> l.startsWith("arch.fc6Width=")).findFirst().orElseThrow();
        assertThat(refusal(dir, text.replace(fc6, fc6 + ",99").getBytes(UTF_8)))
                .contains("entry 'arch.fc6Width' must be a whole number, found '" + fc6.substring(14) + ",99'");
        // java.util.Properties throws an unchecked IllegalArgumentException for a malformed escape
        assertThat(refusal(dir, (text + "meta.note=\\u12\n").getBytes(UTF_8)))
                .contains(FcnModel.PROPERTIES_FILE, "malformed \\uXXXX escape");
        assertThat(refusal(dir, new byte[] {'a', '=', (byte) 0xC3, '\n'}))
                .contains(FcnModel.PROPERTIES_FILE, "is not UTF-8 text");
        assertThat(refusal(dir, (text + "#" + "x".repeat(70_000) + "\n").getBytes(UTF_8)))
                .contains(FcnModel.PROPERTIES_FILE, "a settings file holds a few lines (at most 65536 bytes)");
    }

    /** Writes {@code properties} into the model folder and returns the message of the load's refusal. */
    private static String refusal(Path dir, byte[] properties) throws IOException {
        Files.write(dir.resolve(FcnModel.PROPERTIES_FILE), properties);
        return assertThrows(IOException.class, () -> FcnModel.load(dir)).getMessage();
    }

    @Test
    void readsModelFilesWrittenByDl4jItselfAndKeepsOutputs(@TempDir Path dir) throws IOException {
        MultiLayerNetwork net = TINY.buildInferenceNetwork(2, 11);
        FcnModel original = FcnModel.of(net, CLASSES, TINY);
        original.save(dir);
        // a model.zip written by DL4J directly, with updater state, as older dcsm versions and users write it
        ModelSerializer.writeModel(net, dir.resolve(FcnModel.MODEL_FILE).toFile(), true);
        FcnModel loaded = FcnModel.load(dir);
        assertThat(loaded.network().params()).isEqualTo(net.params());
        Nd4j.getRandom().setSeed(2);
        INDArray input = Nd4j.randn(DataType.FLOAT, 1, 3, 16, 12);
        assertThat(loaded.scores(input)).isEqualTo(original.scores(input));
    }

    @Test
    void doubleCoefficientsAreDecodedAndOtherTypesRefused() throws IOException {
        for (String type : new String[] {"DOUBLE", "HALF"}) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(b)) {
                out.writeUTF("MIXED_DATA_TYPES");
                out.writeLong(8);
                out.writeUTF("LONG");
                for (long v : new long[] {2, 1, 3, 3, 1, 8192, 1, 99}) {
                    out.writeLong(v);
                }
                out.writeUTF("MIXED_DATA_TYPES");
                out.writeLong(3);
                out.writeUTF(type);
                for (double v : new double[] {0.5, -2, 1.25}) {
                    if ("DOUBLE".equals(type)) {
                        out.writeDouble(v);
                    } else {
                        out.writeShort(0x3c00);
                    }
                }
            }
            if ("DOUBLE".equals(type)) {
                assertThat(ModelArchive.decodeParameters(new ByteArrayInputStream(b.toByteArray()), 3, "x"))
                        .containsExactly(0.5f, -2f, 1.25f);
            } else {
                assertThat(assertThrows(IOException.class, () -> ModelArchive.decodeParameters(
                        new ByteArrayInputStream(b.toByteArray()), 3, "x")).getMessage())
                        .contains("unsupported parameter type 'HALF'");
            }
        }
    }

    @Test
    void crcOfSavedModelIsStableAcrossSaves(@TempDir Path dir) throws IOException {
        FcnModel model = FcnModel.initialise(TINY, CLASSES, 3);
        model.save(dir.resolve("a"));
        model.save(dir.resolve("a")); // replacing an existing folder leaves no temporary files
        try (var files = Files.list(dir.resolve("a"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(FcnModel.MODEL_FILE, FcnModel.CLASSES_FILE, FcnModel.PROPERTIES_FILE);
        }
        CRC32 crc = new CRC32();
        crc.update(Files.readAllBytes(dir.resolve("a").resolve(FcnModel.CLASSES_FILE)));
        assertThat(crc.getValue()).isNotZero();
    }
}
