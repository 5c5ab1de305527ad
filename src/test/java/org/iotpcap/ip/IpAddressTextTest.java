package org.iotpcap.ip;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * {@link IpAddress#text} answers from a bounded cache shared by every thread: each answer must be the text of
 * the address asked for, also when many addresses share slots and threads race on them.
 */
class IpAddressTextTest {
    private static String quad(long lo) throws Exception {
        int v = (int) lo;
        return InetAddress.getByAddress(new byte[] {(byte) (v >>> 24), (byte) (v >>> 16), (byte) (v >>> 8), (byte) v})
                .getHostAddress();
    }

    /**
     * The reference text: java.net's dotted quad for IPv4; for IPv6 the RFC 5952 rules, with the IPv4-mapped
     * (and IPv4-compatible) forms ending in a dotted quad, as inet_ntop and tshark write them.
     */
    private static String expected(IpAddress a) throws Exception {
        if (a.v4()) {
            return quad(a.lo());
        }
        if (a.hi() == 0 && a.lo() >>> 32 == 0xffff) {
            return "::ffff:" + quad(a.lo());
        }
        if (a.hi() == 0 && a.lo() >>> 32 == 0 && (a.lo() >>> 16) != 0) {
            return "::" + quad(a.lo());
        }
        byte[] b = new byte[16];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (a.hi() >>> (56 - 8 * i));
            b[8 + i] = (byte) (a.lo() >>> (56 - 8 * i));
        }
        return rfc5952(b);
    }

    /** RFC 5952 section 4: lower-case hex, no leading zeros, the first longest run of two or more zero groups as ::. */
    private static String rfc5952(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) {
            g[i] = (b[2 * i] & 0xff) << 8 | (b[2 * i + 1] & 0xff);
        }
        int bestAt = -1;
        int bestLen = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLen) {
                bestAt = i;
                bestLen = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestAt) {
                s.append("::");
                i += bestLen - 1;
                continue;
            }
            if (s.length() > 0 && s.charAt(s.length() - 1) != ':') {
                s.append(':');
            }
            s.append(Integer.toHexString(g[i]));
        }
        return s.toString();
    }

    private static List<IpAddress> addresses(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<IpAddress> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(switch (i % 3) {
                case 0 -> IpAddress.ofV4(r.nextInt());
                // zero runs, so that :: is exercised
                case 1 -> IpAddress.of(r.nextLong() & 0xffff_0000_0000_ffffL, r.nextLong() & 0x0000_ffff_0000_ffffL);
                // the IPv4-mapped form written as IPv6 (an IPv6 header carrying it), beside the same address as IPv4
                default -> new IpAddress(0, IpAddress.V4_MAPPED | (r.nextInt() & 0xffffffffL), false);
            });
        }
        return out;
    }

    @Test
    void everyAnswerIsTheTextOfTheAddressAsked_withFarMoreAddressesThanSlots() throws Exception {
        List<IpAddress> all = addresses(30_000, 7);
        for (int round = 0; round < 2; round++) {
            for (IpAddress a : all) {
                assertThat(IpAddress.text(a.hi(), a.lo(), a.v4())).isEqualTo(expected(a));
                assertThat(a.toString()).isEqualTo(expected(a));
            }
        }
        IpAddress mapped = new IpAddress(0, IpAddress.V4_MAPPED | 0x0a000001L, false);
        assertThat(IpAddress.ofV4(0x0a000001).toString()).isEqualTo("10.0.0.1");
        assertThat(mapped.toString()).isEqualTo("::ffff:10.0.0.1");
    }

    @Test
    void threadsRacingOnTheSameSlots_getTheirOwnAddressesText() throws Exception {
        List<IpAddress> all = addresses(20_000, 11);
        List<String> texts = new ArrayList<>();
        for (IpAddress a : all) {
            texts.add(expected(a));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int start = t * 997;
                done.add(pool.submit(() -> {
                    int wrong = 0;
                    for (int k = 0; k < 5 * all.size(); k++) {
                        int i = (start + k * 7919) % all.size();
                        IpAddress a = all.get(i);
                        if (!IpAddress.text(a.hi(), a.lo(), a.v4()).equals(texts.get(i))) {
                            wrong++;
                        }
                    }
                    return wrong;
                }));
            }
            for (Future<Integer> f : done) {
                assertThat(f.get()).isZero();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
