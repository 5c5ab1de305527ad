package org.iotpcap.bytes;

/** Strict UTF-8 validation (RFC 3629): no overlongs, no surrogates, nothing above U+10FFFF. */
public final class Utf8 {
    private Utf8() {}

    public static boolean isValid(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            int c = b[i] & 0xff;
            if (c < 0x80) {
                i++;
                continue;
            }
            int n;
            int min;
            if ((c & 0xe0) == 0xc0) {
                n = 1;
                min = 0x80;
                c &= 0x1f;
            } else if ((c & 0xf0) == 0xe0) {
                n = 2;
                min = 0x800;
                c &= 0x0f;
            } else if ((c & 0xf8) == 0xf0) {
                n = 3;
                min = 0x10000;
                c &= 0x07;
            } else {
                return false;
            }
            if (i + n >= end) { // the continuation bytes must all lie inside the range
                return false;
            }
            for (int k = 1; k <= n; k++) {
                int cc = b[i + k] & 0xff;
                if ((cc & 0xc0) != 0x80) {
                    return false;
                }
                c = c << 6 | (cc & 0x3f);
            }
            if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
                return false;
            }
            i += n + 1;
        }
        return true;
    }
}
