package org.dcsm.examples.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.StringWriter;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.dcsm.backprop.net.FcnModel;
import org.dcsm.backprop.net.SmallVggFcn;
import org.dcsm.core.ClassList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```java} snippet of README.md and docs/*.md is compiled and run (issue 14, item 6): each becomes the
 * body of a method, after a setup that declares what the snippet takes as given (a model in {@code my-model}, an image
 * {@code dog.jpg}, a network, raw arrays; {@link #SETUPS}), with {@code Path.of("x")} read as a file {@code x} of a
 * temporary folder. A snippet with no setup here fails the test: a new snippet in the docs needs one. Snippets run on a
 * random-weight small FCN, so they check that the documented calls exist and work together, not the quality of a result.
 */
class DocSnippetsTest {

    /** Imports every snippet may use. */
    private static final String IMPORTS = String.join("\n",
            "import java.nio.file.Path;",
            "import org.nd4j.linalg.api.ndarray.INDArray;",
            "import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;",
            "import org.dcsm.core.*;",
            "import org.dcsm.core.io.*;",
            "import org.dcsm.core.preprocess.*;",
            "import org.dcsm.core.pipeline.*;",
            "import org.dcsm.crf.*;",
            "import org.dcsm.backprop.net.*;",
            "import org.dcsm.backprop.saliency.*;",
            "import org.dcsm.pipeline.*;");

    /** The setup of each snippet, keyed by a string only that snippet contains. */
    private static final Map<String, String> SETUPS = new LinkedHashMap<>();

    static {
        SETUPS.put("DcsmPipelines.paper(model)", "");
        SETUPS.put("ClassMapSubtractor.paper().subtract(raw.maps())",
                "FcnModel model = FcnModel.load(Path.of(\"my-model\"));");
        SETUPS.put("crf.prepare(image)", String.join("\n",
                "int width = 40, height = 30, labels = 3;",
                "int[] classIds = {0, 12, 15};",
                "java.util.Random rnd = new java.util.Random(1);",
                "byte[] rgbBytes = new byte[width * height * 3];",
                "rnd.nextBytes(rgbBytes);",
                "float[] energies = new float[labels * width * height];",
                "for (int i = 0; i < energies.length; i++) { energies[i] = 3 * rnd.nextFloat(); }"));
        SETUPS.put("SaliencyExtractor.forNetwork(net)", String.join("\n",
                "MultiLayerNetwork net = FcnModel.load(Path.of(\"my-model\")).network();",
                "INDArray preprocessed = VggPreprocessor.vgg().prepare(ImageLoader.defaults().read(Path.of(\"dog.jpg\")))"
                        + ".input();"));
    }

    private static final Pattern SNIPPET = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL);

    /** The snippets of the README and docs/*.md, in file order, each with the file it came from. */
    private static List<String[]> snippets(Path root) throws IOException {
        List<Path> files = new ArrayList<>();
        files.add(root.resolve("README.md"));
        try (var docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        List<String[]> out = new ArrayList<>();
        for (Path f : files) {
            Matcher m = SNIPPET.matcher(Files.readString(f, StandardCharsets.UTF_8));
            while (m.find()) {
                out.add(new String[] {root.relativize(f).toString(), m.group(1)});
            }
        }
        return out;
    }

    private static Path repositoryRoot() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("README.md"))) {
            p = p.getParent();
        }
        assertThat(p).as("the repository root (a folder with README.md) above the working directory").isNotNull();
        return p;
    }

    @Test
    void everyJavaSnippetOfTheDocsCompilesAndRuns(@TempDir Path dir) throws Exception {
        FcnModel.initialise(SmallVggFcn.architecture(), ClassList.of("background", "a", "b", "c"), 7L)
                .save(dir.resolve("my-model"));
        BufferedImage dog = new BufferedImage(48, 40, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(2);
        for (int y = 0; y < 40; y++) {
            for (int x = 0; x < 48; x++) {
                dog.setRGB(x, y, rnd.nextInt(1 << 24));
            }
        }
        assertThat(ImageIO.write(dog, "jpg", dir.resolve("dog.jpg").toFile())).isTrue();

        List<String[]> snippets = snippets(repositoryRoot());
        assertThat(snippets).as("java snippets in README.md and docs/").hasSizeGreaterThanOrEqualTo(4);
        Path src = Files.createDirectories(dir.resolve("src"));
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> names = new ArrayList<>();
        List<Path> sources = new ArrayList<>();
        for (int k = 0; k < snippets.size(); k++) {
            String file = snippets.get(k)[0];
            String body = snippets.get(k)[1];
            String setup = SETUPS.entrySet().stream().filter(e -> body.contains(e.getKey())).map(Map.Entry::getValue)
                    .findFirst().orElse(null);
            assertThat(setup).as("a setup in DocSnippetsTest.SETUPS for the snippet of %s:%n%s", file, body).isNotNull();
            String name = "Snippet" + k;
            String code = IMPORTS + "\n\npublic class " + name + " {\n    public static void run(Path base) throws Exception {\n"
                    + (setup + "\n" + body).replace("Path.of(\"", "base.resolve(\"") + "\n    }\n}\n";
            Path source = src.resolve(name + ".java");
            Files.writeString(source, "// from " + file + "\n" + code);
            names.add(name + " (" + file + ")");
            sources.add(source);
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's compiler").isNotNull();
        StringWriter errors = new StringWriter();
        List<String> options = List.of("-d", classes.toString(), "-classpath", System.getProperty("java.class.path"),
                "-proc:none", "-Xlint:none");
        List<String> args = new ArrayList<>(options);
        sources.forEach(s -> args.add(s.toString()));
        int status = javac.run(null, null, new java.io.PrintStream(new java.io.OutputStream() {
            @Override
            public void write(int b) {
                errors.write(b);
            }
        }, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        assertThat(status).as("javac on the docs' snippets %s:%n%s", names, errors).isZero();
        try (URLClassLoader loader = new URLClassLoader(new URL[] {classes.toUri().toURL()},
                DocSnippetsTest.class.getClassLoader())) {
            for (int k = 0; k < snippets.size(); k++) {
                Method run = loader.loadClass("Snippet" + k).getMethod("run", Path.class);
                run.invoke(null, dir); // an exception fails the test, naming the snippet in its stack trace
            }
        }
    }
}
