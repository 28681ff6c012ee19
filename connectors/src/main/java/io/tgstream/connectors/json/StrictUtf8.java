package io.tgstream.connectors.json;

/**
 * Checks that bytes are well-formed UTF-8 (RFC 3629, table 3-7 of the Unicode standard) before a JSON parser sees them.
 *
 * <p>Jackson's byte parser refuses stray continuation bytes but decodes overlong forms ({@code C0 AF} as {@code /}),
 * UTF-8-encoded surrogates ({@code ED A0 80}) and code points above U+10FFFF without complaint, and does not decode
 * strings it skips at all. So a record could carry an id spelled in two byte forms (two keys for one visible id) or
 * bytes no UTF-8 producer writes; both are refused here. Well-formed sequences, per lead byte:
 * <pre>
 *   00..7F
 *   C2..DF  80..BF
 *   E0      A0..BF  80..BF        E1..EC, EE..EF  80..BF  80..BF        ED  80..9F  80..BF
 *   F0      90..BF  80..BF 80..BF F1..F3  80..BF  80..BF 80..BF         F4  80..8F  80..BF 80..BF
 * </pre>
 */
public final class StrictUtf8 {
    private StrictUtf8() {}

    /** The offset of the first byte that does not start or continue a well-formed sequence, or -1 if all are fine. */
    public static int firstInvalidByte(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int length;
            int low = 0x80;
            int high = 0xBF; // the allowed range of the second byte
            if (c >= 0xC2 && c <= 0xDF) {
                length = 2;
            } else if (c >= 0xE0 && c <= 0xEF) {
                length = 3;
                if (c == 0xE0) low = 0xA0;
                if (c == 0xED) high = 0x9F;
            } else if (c >= 0xF0 && c <= 0xF4) {
                length = 4;
                if (c == 0xF0) low = 0x90;
                if (c == 0xF4) high = 0x8F;
            } else {
                return i;
            }
            if (i + 1 >= n) {
                return i;
            }
            int second = b[i + 1] & 0xFF;
            if (second < low || second > high) {
                return i + 1;
            }
            for (int k = 2; k < length; k++) {
                if (i + k >= n) {
                    return i;
                }
                int next = b[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) {
                    return i + k;
                }
            }
            i += length;
        }
        return -1;
    }
}
