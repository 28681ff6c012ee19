package io.tgstream.report;

import java.util.Locale;

/** Text into HTML and SVG: escaping, and numbers written the same way in every locale. */
final class Html {
    private Html() {}

    /** {@code s} with the five XML special characters escaped. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code v} with {@code decimals} decimals, or an en dash for NaN. */
    static String number(double v, int decimals) {
        return Double.isNaN(v) ? "\u2013" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
