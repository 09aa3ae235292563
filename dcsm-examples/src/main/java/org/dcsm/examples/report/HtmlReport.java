package org.dcsm.examples.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.dcsm.core.io.AtomicFiles;

/**
 * One self-contained HTML page per run: a title, paragraphs, tables and a picture gallery whose
 * images are PNG files beside the page (relative links), with inline CSS and no network resource
 * (no scripts, fonts or style sheets from elsewhere), so the folder can be opened offline or archived.
 *
 * <p>Built with a fluent, single-use builder; {@link Builder#write(Path)} writes the page. All text is
 * HTML-escaped. Not thread-safe.
 */
public final class HtmlReport {

    private HtmlReport() {
    }

    /** A page titled {@code title}. */
    public static Builder builder(String title) {
        return new Builder(title);
    }

    /** One gallery cell: a PNG path relative to the page, and its caption. */
    public record Picture(String relativePath, String caption) {
        public Picture {
            Objects.requireNonNull(relativePath, "relativePath");
            Objects.requireNonNull(caption, "caption");
            if (relativePath.contains("://") || relativePath.startsWith("/") || relativePath.contains("..")) {
                throw new IllegalArgumentException("Gallery pictures must be relative paths inside the report folder, found '"
                        + relativePath + "'");
            }
        }
    }

    /** Accumulates the page's sections in order. */
    public static final class Builder {
        private final String title;
        private final StringBuilder body = new StringBuilder();
        private final List<String> pictures = new ArrayList<>();

        private Builder(String title) {
            this.title = Objects.requireNonNull(title, "title");
        }

        /** A section heading. */
        public Builder heading(String text) {
            body.append("<h2>").append(escape(text)).append("</h2>\n");
            return this;
        }

        /** A paragraph of plain text. */
        public Builder paragraph(String text) {
            body.append("<p>").append(escape(text)).append("</p>\n");
            return this;
        }

        /** A preformatted block (commands, logs). */
        public Builder preformatted(String text) {
            body.append("<pre>").append(escape(text)).append("</pre>\n");
            return this;
        }

        /**
         * A table.
         *
         * @throws IllegalArgumentException when a row's length differs from the header's
         */
        public Builder table(List<String> header, List<List<String>> rows) {
            body.append("<table>\n<tr>");
            for (String h : header) {
                body.append("<th>").append(escape(h)).append("</th>");
            }
            body.append("</tr>\n");
            for (int r = 0; r < rows.size(); r++) {
                List<String> row = rows.get(r);
                if (row.size() != header.size()) {
                    throw new IllegalArgumentException("Table row " + r + " has " + row.size() + " cells, the header "
                            + header.size());
                }
                body.append("<tr>");
                for (String cell : row) {
                    body.append("<td>").append(escape(cell)).append("</td>");
                }
                body.append("</tr>\n");
            }
            body.append("</table>\n");
            return this;
        }

        /** A gallery row: a label, then its pictures side by side. */
        public Builder galleryRow(String label, List<Picture> row) {
            body.append("<div class=\"row\"><div class=\"label\">").append(escape(label)).append("</div>");
            for (Picture p : row) {
                pictures.add(p.relativePath());
                body.append("<figure><img src=\"").append(escape(urlPath(p.relativePath()))).append("\" alt=\"")
                        .append(escape(p.caption())).append("\"><figcaption>").append(escape(p.caption()))
                        .append("</figcaption></figure>");
            }
            body.append("</div>\n");
            return this;
        }

        /** The relative paths of every gallery picture added so far (a copy). */
        public List<String> pictures() {
            return List.copyOf(pictures);
        }

        /** The page's HTML. */
        public String html() {
            return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>" + escape(title)
                    + "</title>\n<style>\n"
                    + "body{font-family:sans-serif;margin:1.5em;color:#222}\n"
                    + "table{border-collapse:collapse;margin:1em 0}\n"
                    + "th,td{border:1px solid #bbb;padding:3px 8px;text-align:right}\n"
                    + "th:first-child,td:first-child{text-align:left}\n"
                    + "pre{background:#f4f4f4;padding:.5em}\n"
                    + ".row{display:flex;align-items:flex-start;gap:6px;margin:6px 0}\n"
                    + ".label{width:9em;font-size:.85em}\n"
                    + "figure{margin:0;text-align:center}\n"
                    + "img{image-rendering:pixelated;width:128px;border:1px solid #ccc}\n"
                    + "figcaption{font-size:.75em}\n"
                    + "</style>\n</head>\n<body>\n<h1>" + escape(title) + "</h1>\n" + body + "</body>\n</html>\n";
        }

        /**
         * Writes the page to {@code file} (its folder is created).
         *
         * @throws IOException when a gallery picture is missing beside the page, or on a write error
         */
        public Path write(Path file) throws IOException {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            for (String p : pictures) {
                if (!Files.isRegularFile(dir.resolve(p))) {
                    throw new IOException("Report picture " + dir.resolve(p) + " does not exist");
                }
            }
            AtomicFiles.writeString(file, html());
            return file;
        }
    }

    /** HTML-escapes {@code &, <, >, ", '}. */
    public static String escape(String text) {
        StringBuilder sb = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> sb.append("&amp;");
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '"' -> sb.append("&quot;");
                case '\'' -> sb.append("&#39;");
                default -> sb.append(c);
            }
        }
        return sb.toString();
    }

    /**
     * A relative file path as a URL path: every byte of its UTF-8 form outside the unreserved characters and
     * {@code /} is percent-encoded, so that ids holding {@code #}, {@code ?}, {@code %} or spaces still link.
     */
    static String urlPath(String relativePath) {
        StringBuilder sb = new StringBuilder();
        for (byte b : relativePath.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~' || c == '/') {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return sb.toString();
    }
}
