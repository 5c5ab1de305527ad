package org.iotpcap.ip;

/** RFC 5952 text for IPv6 addresses (lower case, longest run of zero groups as ::), as tshark prints them. */
final class Ipv6Text {
    private Ipv6Text() {}

    static String format(byte[] a) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (a[2 * i] & 0xff) << 8 | (a[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLen = 0;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen && j - i >= 2) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder sb = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                sb.append("::");
                i += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[i]));
        }
        // IPv4-mapped and IPv4-compatible forms keep dotted quads, as inet_ntop does
        if (bestStart == 0 && (bestLen == 5 && g[5] == 0xffff || bestLen == 6 && g[6] != 0)) {
            String quad = (a[12] & 0xff) + "." + (a[13] & 0xff) + "." + (a[14] & 0xff) + "." + (a[15] & 0xff);
            return bestLen == 5 ? "::ffff:" + quad : "::" + quad;
        }
        return sb.toString();
    }
}
