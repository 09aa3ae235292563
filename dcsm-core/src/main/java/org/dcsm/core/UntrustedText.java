package org.dcsm.core;

import java.util.Locale;

/**
 * Makes text that comes from a file (class names, ids, zip entry names, data types) safe to put into a
 * message or a log line: control characters (C0, DEL, C1), line and paragraph separators and the
 * bidirectional-override characters are shown as {@code \\uXXXX}, and the text is cut to a length.
 * So a hostile name can neither forge a log line, nor send escape sequences to a terminal, nor flood a
 * message.
 */
public final class UntrustedText {

    /** Characters kept by {@link #printable(String)}. */
    public static final int DEFAULT_LIMIT = 80;

    private UntrustedText() {
    }

    /** {@link #printable(String, int)} with {@value #DEFAULT_LIMIT} characters; {@code "null"} for null. */
    public static String printable(String s) {
        return printable(s, DEFAULT_LIMIT);
    }

    /**
     * The first {@code limit} characters of {@code s}, escaped as described in the class comment, followed by
     * {@code "..."} when {@code s} was longer.
     */
    public static String printable(String s, int limit) {
        if (s == null) {
            return "null";
        }
        int n = Math.min(s.length(), Math.max(0, limit));
        StringBuilder sb = new StringBuilder(n + 8);
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (unsafe(c)) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (s.length() > n) {
            sb.append("...");
        }
        return sb.toString();
    }

    private static boolean unsafe(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029' || (c >= '\u202a' && c <= '\u202e')
                || (c >= '\u2066' && c <= '\u2069') || Character.isSurrogate(c);
    }
}
