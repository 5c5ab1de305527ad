package org.iotpcap.ip;

import static org.assertj.core.api.Assertions.assertThat;

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
    /** The text formatted without the cache (checked against tshark's by the conformance tests). */
    private static String expected(IpAddress a) {
        return IpAddress.format(a.hi(), a.lo(), a.v4());
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
    void everyAnswerIsTheTextOfTheAddressAsked_withFarMoreAddressesThanSlots() {
        List<IpAddress> all = addresses(30_000, 7);
        for (int round = 0; round < 2; round++) {
            for (IpAddress a : all) {
                assertThat(IpAddress.text(a.hi(), a.lo(), a.v4())).isEqualTo(expected(a));
                assertThat(a.toString()).isEqualTo(expected(a));
            }
        }
        // the same 128 bits as IPv4 and as IPv6 are two entries
        assertThat(IpAddress.ofV4(0x0a000001).toString()).isEqualTo("10.0.0.1");
        assertThat(new IpAddress(0, IpAddress.V4_MAPPED | 0x0a000001L, false).toString()).isEqualTo("::ffff:10.0.0.1");
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
