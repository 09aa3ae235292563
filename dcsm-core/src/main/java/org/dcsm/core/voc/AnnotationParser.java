package org.dcsm.core.voc;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.dcsm.core.ClassList;
import org.dcsm.core.UntrustedText;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Parses VOC annotation XML into image-level labels with a hardened parser: DOCTYPE declarations are
 * refused outright (which rules out external entities and entity-expansion bombs), external entities,
 * external DTDs, XInclude and external schema access are off, secure processing is on, and files over
 * {@link #MAX_BYTES} are refused before parsing, documents nested deeper than {@link #MAX_DEPTH} are refused by
 * the parser, and names longer than {@link #MAX_NAME_LENGTH} are refused. Names are escaped
 * ({@link UntrustedText}) in every message. Only direct {@code <object>} children of the root and
 * their direct {@code <name>} child count (a person's {@code <part><name>head</name></part>} does not).
 * An object whose name is the background's is ignored. Thread-safe (a parser per call).
 */
final class AnnotationParser {

    /** Annotation files larger than this (4 MiB) are refused; VOC's are a few KB. */
    static final long MAX_BYTES = 4L << 20;
    /** Deepest element nesting accepted (VOC's is 4); deeper documents are refused by the parser itself. */
    static final int MAX_DEPTH = 64;
    /** Longest class name accepted, in characters. */
    static final int MAX_NAME_LENGTH = 256;

    private static final ErrorHandler THROWING = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // warnings are not errors
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private final ClassList classes;
    private final VocDataset.DifficultPolicy difficultPolicy;

    AnnotationParser(ClassList classes, VocDataset.DifficultPolicy difficultPolicy) {
        this.classes = classes;
        this.difficultPolicy = difficultPolicy;
    }

    ClassList classes() {
        return classes;
    }

    static DocumentBuilder safeBuilder() {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setFeature("http://xml.org/sax/features/external-general-entities", false);
            f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            f.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            // the JDK's own limit: deep nesting would otherwise overflow the stack of the DOM walk
            f.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth", MAX_DEPTH);
            f.setXIncludeAware(false);
            f.setExpandEntityReferences(false);
            f.setNamespaceAware(false);
            f.setValidating(false);
            DocumentBuilder builder = f.newDocumentBuilder();
            builder.setErrorHandler(THROWING);
            builder.setEntityResolver((publicId, systemId) -> {
                throw new SAXException("External entity '" + systemId + "' refused");
            });
            return builder;
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("The JDK's XML parser does not support the hardening features", e);
        }
    }

    /** The foreground class ids named by the annotation's objects, ascending, distinct. */
    int[] labels(Path xml) throws IOException {
        long size = Files.size(xml);
        if (size > MAX_BYTES) {
            throw new IOException("Annotation " + xml + " is " + size + " bytes, more than the limit of " + MAX_BYTES);
        }
        Document doc;
        try (InputStream in = Files.newInputStream(xml)) {
            doc = safeBuilder().parse(in, xml.toUri().toString());
        } catch (SAXException e) {
            throw new IOException("Cannot parse annotation " + xml + ": " + UntrustedText.printable(e.getMessage(), 200),
                    e);
        }
        Element root = doc.getDocumentElement();
        if (!"annotation".equals(root.getTagName())) {
            throw new IOException("Annotation " + xml + " has root element <"
                    + UntrustedText.printable(root.getTagName()) + ">, expected <annotation>");
        }
        boolean[] present = new boolean[classes.size()];
        int objectIndex = 0;
        for (Node n = root.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (!(n instanceof Element object) || !"object".equals(object.getTagName())) {
                continue;
            }
            objectIndex++;
            String name = childText(object, "name");
            if (name == null || name.isEmpty()) {
                throw new IOException("Annotation " + xml + ": object " + objectIndex + " has no <name>");
            }
            if (name.length() > MAX_NAME_LENGTH) {
                throw new IOException("Annotation " + xml + ": object " + objectIndex + " has a name of "
                        + name.length() + " characters (at most " + MAX_NAME_LENGTH + "): '"
                        + UntrustedText.printable(name) + "'");
            }
            String difficult = childText(object, "difficult");
            boolean isDifficult = difficult != null && !difficult.isEmpty() && !"0".equals(difficult);
            if (isDifficult && difficultPolicy == VocDataset.DifficultPolicy.EXCLUDE) {
                continue;
            }
            if (!classes.contains(name)) {
                throw new IOException("Unknown class name '" + UntrustedText.printable(name) + "' in annotation " + xml
                        + " (object "
                        + objectIndex + "); known classes: " + classes.names());
            }
            present[classes.id(name)] = true;
        }
        int[] ids = new int[classes.size()];
        int n = 0;
        for (int c = 1; c < present.length; c++) {
            if (present[c]) {
                ids[n++] = c;
            }
        }
        return Arrays.copyOf(ids, n);
    }

    private static String childText(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && tag.equals(e.getTagName())) {
                return e.getTextContent().strip();
            }
        }
        return null;
    }
}
