package org.iotpcap.capture;

import java.nio.charset.StandardCharsets;

/** Names what a file that is not a capture looks like, from its first bytes, for the error message. */
final class FileKinds {
    private FileKinds() {}

    static String describe(byte[] b, int n) {
        if (starts(b, n, "PK\u0003\u0004")) {
            return "a zip archive";
        }
        if (starts(b, n, "\u0089PNG")) {
            return "a PNG image";
        }
        if (starts(b, n, "%PDF")) {
            return "a PDF document";
        }
        if (starts(b, n, "BZh")) {
            return "a bzip2-compressed file (decompress it first)";
        }
        if (n >= 6 && (b[0] & 0xff) == 0xfd && starts(b, n, "\u00fd7zXZ")) {
            return "an xz-compressed file (decompress it first)";
        }
        if (n >= 4 && (b[0] & 0xff) == 0x28 && (b[1] & 0xff) == 0xb5 && (b[2] & 0xff) == 0x2f && (b[3] & 0xff) == 0xfd) {
            return "a zstd-compressed file (decompress it first)";
        }
        if (starts(b, n, "\u007fELF")) {
            return "an ELF executable";
        }
        if (starts(b, n, "SQLite format")) {
            return "an SQLite database";
        }
        if (n >= 8 && (b[0] & 0xff) == 0xd4 && (b[1] & 0xff) == 0xc3 && (b[2] & 0xff) == 0xb2) {
            return "a pcap file with a damaged magic number";
        }
        int printable = 0;
        for (int i = 0; i < n; i++) {
            int c = b[i] & 0xff;
            if (c == '\n' || c == '\r' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
                printable++;
            }
        }
        if (printable == n) {
            String text = new String(b, 0, Math.min(n, 12), StandardCharsets.US_ASCII).strip();
            if (text.startsWith("{") || text.startsWith("[")) {
                return "JSON text";
            }
            return "text (\"" + text.replaceAll("[\\r\\n\\t]", " ") + "...\")";
        }
        return "binary data of an unknown kind (first bytes " + org.iotpcap.bytes.Bytes.hex(b, 0, Math.min(n, 8)) + ")";
    }

    private static boolean starts(byte[] b, int n, String prefix) {
        if (n < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if ((b[i] & 0xff) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
