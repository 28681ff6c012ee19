package io.tgstream.cli;

import java.util.Locale;

/** Formats a stream's time span for people: "0 .. 16,736,181 s (193.7 days)". */
final class TimeSpan {
    private static final double SECONDS_PER_DAY = 86_400;

    private TimeSpan() {}

    static String format(long first, long last, String unit) {
        String s = String.format(Locale.ROOT, "%,d .. %,d %s", first, last, unit);
        if (unit.equals("s")) {
            s += String.format(Locale.ROOT, " (%.1f days)", (last - first) / SECONDS_PER_DAY);
        } else if (unit.equals("ms")) {
            s += String.format(Locale.ROOT, " (%.1f days)", (last - first) / SECONDS_PER_DAY / 1000);
        }
        return s;
    }
}
