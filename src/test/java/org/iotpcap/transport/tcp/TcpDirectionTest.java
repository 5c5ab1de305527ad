package org.iotpcap.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

/**
 * One direction of a TCP stream ({@link TcpDirection}) on its own, fed segments as sequence number plus bytes:
 * what it delivers, with which frame, and what it counts. Every expected stream is the payload the test cut
 * into segments; where copies of a byte differ, the expected byte comes from a byte-by-byte model of the
 * rule (delivered bytes are never replaced, held bytes are not replaced by a later out-of-order copy, an
 * in-order segment is delivered whole); {@link TcpOverlapTsharkTest} compares the same cases with tshark.
 * Random cuts and orders are jqwik properties: jqwik prints the seed of every run and the failing sample.
 */
class TcpDirectionTest {

    /** A direction with its own buffer caps, fed by the test, recording everything it hands on. */
    static final class Fed implements TcpDirection.Output {
        final TcpHeldBytes budget;
        final TcpDirection d;
        /** Sequence number of stream offset 0 (the first data byte). */
        final int base;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        /** The frame that carried each delivered byte, in stream order. */
        final List<Long> byteFrames = new ArrayList<>();
        /** data, gap and limit events in order: "data LEN@FRAME", "gap LEN@FRAME", "limit@FRAME". */
        final List<String> events = new ArrayList<>();
        long retransmissions;
        long gaps;
        long gapBytes;
        long frame;

        /** A stream that begins with a SYN at {@code isn}, holding at most {@code perDirection} bytes. */
        Fed(int isn, long perDirection) {
            this(new TcpHeldBytes(perDirection, 1L << 40), isn, true);
        }

        Fed(int isn) {
            this(isn, 1L << 30);
        }

        Fed(TcpHeldBytes budget, int firstSeq, boolean syn) {
            this.budget = budget;
            this.d = new TcpDirection(budget);
            this.base = d.begin(firstSeq, syn);
        }

        /** Sends {@code payload[from, to)} as one segment at stream offset {@code from}; returns its frame. */
        long send(byte[] payload, int from, int to) {
            frame++;
            d.data(base + from, payload, from, to - from, frame, frame * 1000, this);
            assertThat(d.heldBytes()).isLessThanOrEqualTo(budget.held());
            return frame;
        }

        /** Sends {@code data} as one segment at stream offset {@code at}. */
        long sendAt(int at, byte[] data) {
            frame++;
            d.data(base + at, data, 0, data.length, frame, frame * 1000, this);
            return frame;
        }

        @Override
        public void data(byte[] b, int off, int len, long f, long nanos) {
            assertThat(len).isPositive();
            assertThat(nanos).isEqualTo(f * 1000);
            bytes.write(b, off, len);
            for (int i = 0; i < len; i++) {
                byteFrames.add(f);
            }
            events.add("data " + len + "@" + f);
        }

        @Override
        public void gap(long n, long f, String why) {
            assertThat(n).isPositive();
            gaps++;
            gapBytes += n;
            events.add("gap " + n + "@" + f);
        }

        @Override
        public void bufferLimit(long f) {
            events.add("limit@" + f);
        }

        @Override
        public void retransmission() {
            retransmissions++;
        }

        byte[] stream() {
            return bytes.toByteArray();
        }

        String text() {
            return bytes.toString(StandardCharsets.ISO_8859_1);
        }

        /** The direction's own counters agree with what it reported, and nothing is left held. */
        void assertSettled() {
            assertThat(d.retransmissions()).isEqualTo(retransmissions);
            assertThat(d.gaps()).isEqualTo(gaps);
            assertThat(d.gapBytes()).isEqualTo(gapBytes);
            assertThat(d.delivered()).isEqualTo(bytes.size());
            assertThat(d.heldBytes()).isZero();
            assertThat(budget.held()).isZero();
            assertThat(d.nextSeq()).isEqualTo(base + bytes.size() + (int) gapBytes);
        }
    }

    private static byte[] payload(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static final byte[] PAYLOAD = payload(97, 1);

    // ---------------------------------------------------------------- every cut, every order

    @Test
    void everySplitIntoTwoSegments_inBothOrders() {
        for (int k = 1; k < PAYLOAD.length; k++) {
            Fed in = new Fed(1000);
            long f1 = in.send(PAYLOAD, 0, k);
            long f2 = in.send(PAYLOAD, k, PAYLOAD.length);
            assertThat(in.stream()).as("split at %d", k).isEqualTo(PAYLOAD);
            assertThat(in.events).containsExactly("data " + k + "@" + f1, "data " + (PAYLOAD.length - k) + "@" + f2);
            in.assertSettled();
            assertThat(in.retransmissions).isZero();

            Fed out = new Fed(1000);
            long late = out.send(PAYLOAD, k, PAYLOAD.length);
            assertThat(out.stream()).isEmpty();
            assertThat(out.d.heldBytes()).isEqualTo(PAYLOAD.length - k);
            long early = out.send(PAYLOAD, 0, k);
            assertThat(out.stream()).as("split at %d, second part first", k).isEqualTo(PAYLOAD);
            // the held part is delivered with the frame that carried it
            assertThat(out.events).containsExactly("data " + k + "@" + early, "data " + (PAYLOAD.length - k) + "@" + late);
            out.assertSettled();
            assertThat(out.retransmissions).isZero();
        }
    }

    @Test
    void oneBytePerSegment_inOrder_eachDeliveredAtOnceWithItsFrame() {
        Fed f = new Fed(-77);
        for (int i = 0; i < PAYLOAD.length; i++) {
            long frame = f.send(PAYLOAD, i, i + 1);
            assertThat(f.bytes.size()).isEqualTo(i + 1);
            assertThat(f.events.get(i)).isEqualTo("data 1@" + frame);
            assertThat(f.d.heldBytes()).isZero();
        }
        assertThat(f.stream()).isEqualTo(PAYLOAD);
        f.assertSettled();
        assertThat(f.retransmissions).isZero();
        assertThat(f.gaps).isZero();
    }

    @Test
    void oneBytePerSegment_inEveryOrder_ofSevenBytes() {
        byte[] p = ascii("TCP/7!#");
        int[] order = {0, 1, 2, 3, 4, 5, 6};
        int orders = 0;
        do {
            Fed f = new Fed(42);
            long[] frameOf = new long[p.length];
            for (int i : order) {
                frameOf[i] = f.send(p, i, i + 1);
            }
            String what = "order " + Arrays.toString(order);
            assertThat(f.stream()).as(what).isEqualTo(p);
            for (int i = 0; i < p.length; i++) {
                assertThat(f.byteFrames.get(i)).as(what + ", byte " + i).isEqualTo(frameOf[i]);
            }
            f.assertSettled();
            assertThat(f.retransmissions).as(what).isZero();
            assertThat(f.gaps).as(what).isZero();
            orders++;
        } while (nextPermutation(order));
        assertThat(orders).isEqualTo(5040);
    }

    /** Rearranges {@code a} into the next permutation in lexicographic order; false after the last. */
    private static boolean nextPermutation(int[] a) {
        int i = a.length - 2;
        while (i >= 0 && a[i] >= a[i + 1]) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        int j = a.length - 1;
        while (a[j] <= a[i]) {
            j--;
        }
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
        for (int l = i + 1, r = a.length - 1; l < r; l++, r--) {
            t = a[l];
            a[l] = a[r];
            a[r] = t;
        }
        return true;
    }

    /** Cuts [0, length) into segments of 1 to maxSegment bytes. */
    private static List<int[]> cut(int length, int maxSegment, Random r) {
        List<int[]> segs = new ArrayList<>();
        for (int at = 0; at < length; ) {
            int n = Math.min(length - at, 1 + r.nextInt(maxSegment));
            segs.add(new int[] {at, at + n});
            at += n;
        }
        return segs;
    }

    @Property(tries = 300)
    void oneBytePerSegment_inRandomOrder(@ForAll @IntRange(min = 8, max = 600) int length, @ForAll long shuffle,
                                         @ForAll int isn) {
        byte[] p = payload(length, shuffle);
        List<int[]> segs = cut(length, 1, new Random(shuffle));
        Collections.shuffle(segs, new Random(shuffle));
        checkDeliveredOnce(p, segs, isn);
    }

    @Property(tries = 500)
    void anyCut_inRandomOrder_deliversThePayloadOnce(@ForAll @IntRange(min = 1, max = 3000) int length,
                                                     @ForAll @IntRange(min = 1, max = 200) int maxSegment,
                                                     @ForAll long shuffle, @ForAll int isn) {
        byte[] p = payload(length, shuffle);
        List<int[]> segs = cut(length, maxSegment, new Random(shuffle));
        Collections.shuffle(segs, new Random(~shuffle));
        checkDeliveredOnce(p, segs, isn);
    }

    /** Each segment sent once, in the given order: the payload comes out whole, each byte with its frame. */
    private static void checkDeliveredOnce(byte[] p, List<int[]> segs, int isn) {
        Fed f = new Fed(isn);
        long[] frameOf = new long[p.length];
        for (int[] s : segs) {
            long frame = f.send(p, s[0], s[1]);
            Arrays.fill(frameOf, s[0], s[1], frame);
        }
        assertThat(f.stream()).isEqualTo(p);
        for (int i = 0; i < p.length; i++) {
            assertThat(f.byteFrames.get(i)).as("byte %d", i).isEqualTo(frameOf[i]);
        }
        f.assertSettled();
        assertThat(f.retransmissions).isZero();
        assertThat(f.gaps).isZero();
    }

    // ---------------------------------------------------------------- duplicates and overlaps

    @Test
    void duplicateOfDeliveredBytes_withDifferentBytes_isCountedNotDelivered() {
        Fed f = new Fed(0);
        f.sendAt(0, ascii("abc"));
        f.sendAt(0, ascii("xyz")); // the same octets again, other bytes: the first copy stays
        f.sendAt(1, ascii("Q"));   // inside what was delivered
        assertThat(f.text()).isEqualTo("abc");
        assertThat(f.retransmissions).isEqualTo(2);
        f.assertSettled();
    }

    @Test
    void overlapWithDeliveredBytes_onlyTheNewPartIsDelivered() {
        Fed f = new Fed(0);
        long f1 = f.sendAt(0, ascii("AAAAA"));     // [0, 5)
        long f2 = f.sendAt(2, ascii("BBBBBB"));    // [2, 8): [2, 5) already delivered
        assertThat(f.text()).isEqualTo("AAAAABBB");
        assertThat(f.events).containsExactly("data 5@" + f1, "data 3@" + f2);
        assertThat(f.retransmissions).isEqualTo(1);
        f.assertSettled();
    }

    @Test
    void duplicateOfAHeldSegment_isHeldOnce() {
        Fed f = new Fed(0);
        f.sendAt(3, ascii("def"));
        f.sendAt(3, ascii("DEF")); // same start, same length: a retransmission of held bytes
        assertThat(f.d.heldBytes()).isEqualTo(3);
        f.sendAt(0, ascii("abc"));
        assertThat(f.text()).isEqualTo("abcdef");
        assertThat(f.retransmissions).isEqualTo(1);
        f.assertSettled();
    }

    @Test
    void longerCopyOfAHeldSegment_addsOnlyItsNewBytes() {
        Fed f = new Fed(0);
        long xy = f.sendAt(3, ascii("XY"));
        long pqrs = f.sendAt(3, ascii("PQRS")); // [3, 7): [3, 5) already held as XY
        assertThat(f.d.heldBytes()).isEqualTo(4);
        long abc = f.sendAt(0, ascii("abc"));
        assertThat(f.text()).isEqualTo("abcXYRS");
        assertThat(f.events).containsExactly("data 3@" + abc, "data 2@" + xy, "data 2@" + pqrs);
        assertThat(f.retransmissions).isEqualTo(1);
        f.assertSettled();
    }

    @Test
    void heldSegmentsOverlappingEachOther_theFirstHeldCopyWins() {
        Fed f = new Fed(0);
        f.sendAt(10, ascii("CCCCC"));    // [10, 15), held
        f.sendAt(5, ascii("DDDDDDDD"));  // [5, 13): only [5, 10) is new
        f.sendAt(0, ascii("EEEEE"));     // [0, 5) fills the hole
        assertThat(f.text()).isEqualTo("EEEEEDDDDDCCCCC");
        assertThat(f.retransmissions).isEqualTo(1);
        f.assertSettled();
    }

    @Test
    void inOrderSegmentOverlappingHeldBytes_isDeliveredWhole_andTheHeldCopyTrimmed() {
        Fed f = new Fed(0);
        f.sendAt(3, ascii("XXX"));         // [3, 6), held
        f.sendAt(8, ascii("YY"));          // [8, 10), held
        f.sendAt(0, ascii("abcdefgh"));    // [0, 8) in order, covers XXX
        assertThat(f.text()).isEqualTo("abcdefghYY");
        assertThat(f.retransmissions).isEqualTo(1); // XXX dropped on draining
        f.assertSettled();
    }

    /**
     * Random segments of a payload with random copies of random ranges, each copy with bytes of its own, in
     * random order, compared byte by byte (value and frame) with a model of the rule, and the retransmission
     * count with the model's: one for each segment that repeats any byte already delivered or held, and one
     * for each held piece (a run of bytes that one segment added to what was held) that an in-order segment
     * reached past its start, so that draining it drops or trims it.
     */
    @Property(tries = 500)
    void duplicatesAndOverlaps_withDifferentBytes_followTheRule(@ForAll @IntRange(min = 1, max = 400) int length,
                                                                @ForAll @IntRange(min = 1, max = 60) int maxSegment,
                                                                @ForAll @IntRange(max = 30) int copies,
                                                                @ForAll long seed, @ForAll int isn) {
        Random r = new Random(seed);
        List<byte[]> data = new ArrayList<>(); // per segment: its bytes, indexed by stream offset
        List<int[]> segs = new ArrayList<>();
        byte[] original = payload(length, seed);
        for (int[] s : cut(length, maxSegment, r)) {
            segs.add(s);
            data.add(original);
        }
        for (int i = 0; i < copies; i++) {
            int from = r.nextInt(length);
            int to = from + 1 + r.nextInt(Math.min(length - from, maxSegment));
            segs.add(new int[] {from, to});
            data.add(payload(length, r.nextLong()));
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < segs.size(); i++) {
            order.add(i);
        }
        Collections.shuffle(order, r);

        // The model, one byte at a time: next = first byte not delivered, held[p] = the held copy of byte p,
        // pieces = where each held piece starts.
        int next = 0;
        int[] held = new int[length];
        long[] heldFrame = new long[length];
        Arrays.fill(held, -1);
        TreeSet<Integer> pieces = new TreeSet<>();
        byte[] expected = new byte[length];
        long[] expectedFrame = new long[length];
        long retransmissions = 0;

        Fed f = new Fed(isn);
        for (int i : order) {
            int[] s = segs.get(i);
            byte[] b = data.get(i);
            long frame = f.send(b, s[0], s[1]);
            if (s[1] <= next) {
                retransmissions++; // nothing new
            } else if (s[0] <= next) {
                if (s[0] < next) {
                    retransmissions++; // starts inside what was delivered
                }
                for (int p = next; p < s[1]; p++) { // an in-order segment is delivered whole
                    expected[p] = b[p];
                    expectedFrame[p] = frame;
                }
                next = s[1];
                while (!pieces.isEmpty() && pieces.first() < next) {
                    pieces.pollFirst();
                    retransmissions++; // a held piece the segment reached into: trimmed or dropped
                }
                while (next < length && held[next] >= 0) {
                    pieces.remove(next);
                    expected[next] = (byte) held[next];
                    expectedFrame[next] = heldFrame[next];
                    next++;
                }
            } else {
                boolean repeats = false;
                boolean previousNew = false;
                for (int p = s[0]; p < s[1]; p++) {
                    if (held[p] < 0) { // the first held copy stays
                        held[p] = b[p] & 0xff;
                        heldFrame[p] = frame;
                        if (!previousNew) {
                            pieces.add(p);
                        }
                        previousNew = true;
                    } else {
                        repeats = true;
                        previousNew = false;
                    }
                }
                if (repeats) {
                    retransmissions++;
                }
            }
        }
        assertThat(next).isEqualTo(length);
        assertThat(f.stream()).isEqualTo(expected);
        for (int p = 0; p < length; p++) {
            assertThat(f.byteFrames.get(p)).as("byte %d", p).isEqualTo(expectedFrame[p]);
        }
        assertThat(f.retransmissions).isEqualTo(retransmissions);
        assertThat(retransmissions == 0).isEqualTo(copies == 0);
        assertThat(f.gaps).isZero();
        f.assertSettled();
    }

    // ---------------------------------------------------------------- sequence numbers

    @Test
    void sequenceNumbersWrapAround2To32_inEveryCutAndOneByteAtATime() {
        int isn = 0xFFFF_FFBF; // the SYN at 2^32 - 65: the payload's byte 63 is at 2^32 - 1, byte 64 at 0
        for (int k = 1; k < PAYLOAD.length; k++) {
            Fed f = new Fed(isn);
            f.send(PAYLOAD, k, PAYLOAD.length);
            f.send(PAYLOAD, 0, k);
            assertThat(f.stream()).as("split at %d", k).isEqualTo(PAYLOAD);
            f.assertSettled();
        }
        Fed f = new Fed(isn);
        for (int i = PAYLOAD.length - 1; i >= 0; i--) {
            f.send(PAYLOAD, i, i + 1);
        }
        assertThat(f.stream()).isEqualTo(PAYLOAD);
        assertThat(f.d.nextSeq()).isEqualTo(isn + 1 + PAYLOAD.length).isPositive();
        f.send(PAYLOAD, 0, 10); // an old copy from before the wrap
        assertThat(f.stream()).isEqualTo(PAYLOAD);
        assertThat(f.retransmissions).isEqualTo(1);
        f.assertSettled();
    }

    @Test
    void segmentsAbout2To31Away_aheadIsHeld_exactlyOrMoreIsOld() {
        Fed f = new Fed(0);
        f.sendAt(0, ascii("a"));
        f.sendAt(1 + Integer.MAX_VALUE, ascii("x")); // 2^31 - 1 ahead of the next byte: held
        assertThat(f.d.heldBytes()).isEqualTo(1);
        f.sendAt(1 + Integer.MIN_VALUE, ascii("y")); // exactly 2^31 away: taken as old
        assertThat(f.retransmissions).isEqualTo(1);
        assertThat(f.d.heldBytes()).isEqualTo(1);
    }

    @Test
    void midStreamStart_beginsAtTheFirstSegmentSeen() {
        TcpHeldBytes budget = new TcpHeldBytes(1 << 20, 1 << 20);
        Fed f = new Fed(budget, 0x7000_0000, false);
        assertThat(f.base).isEqualTo(0x7000_0000);
        assertThat(f.d.firstSeq()).isEqualTo(0x7000_0000);
        f.sendAt(0, ascii("late"));
        f.sendAt(-3, ascii("old")); // before the first byte seen: nothing to deliver
        f.sendAt(4, ascii("r"));
        assertThat(f.text()).isEqualTo("later");
        assertThat(f.retransmissions).isEqualTo(1);
        // a later segment does not move the start, nor does a SYN now
        assertThat(f.d.begin(0x1234, true)).isEqualTo(0x1235);
        assertThat(f.d.firstSeq()).isEqualTo(0x7000_0000);
        f.assertSettled();
    }

    @Test
    void synOccupiesOneSequenceNumber() {
        Fed f = new Fed(999);
        assertThat(f.d.firstSeq()).isEqualTo(999);
        assertThat(f.base).isEqualTo(1000);
        assertThat(f.d.nextSeq()).isEqualTo(1000);
    }

    // ---------------------------------------------------------------- gaps

    @Test
    void perDirectionCapReached_theHoleIsGivenUp_countedAndTheStreamGoesOn() {
        Fed f = new Fed(0, 10);
        // stream offset 0 never arrives; everything after it is held until the cap is hit
        f.send(PAYLOAD, 1, 9);                // 8 held
        long over = f.send(PAYLOAD, 9, 17);   // 16 > 10: the hole is given up, then these are delivered
        long after = f.send(PAYLOAD, 17, 20);
        assertThat(f.events).containsExactly("limit@" + over, "gap 1@" + over, "data 8@1", "data 8@" + over,
                "data 3@" + after);
        assertThat(f.stream()).isEqualTo(Arrays.copyOfRange(PAYLOAD, 1, 20));
        assertThat(f.gaps).isEqualTo(1);
        assertThat(f.gapBytes).isEqualTo(1);
        f.send(PAYLOAD, 0, 1); // the lost byte arriving now is old
        assertThat(f.retransmissions).isEqualTo(1);
        f.assertSettled();
    }

    @Test
    void capReached_withSeveralHoles_givesUpOneHoleAtATime() {
        Fed f = new Fed(0, 6);
        f.send(PAYLOAD, 2, 5);                // held [2, 5)
        f.send(PAYLOAD, 7, 10);               // held [7, 10): 6 held
        long over = f.send(PAYLOAD, 12, 14);  // 8 > 6: the hole [0, 2) goes, [2, 5) is delivered, 3 + 2 fit
        assertThat(f.events).containsExactly("limit@" + over, "gap 2@" + over, "data 3@1");
        assertThat(f.d.heldBytes()).isEqualTo(5);
        long more = f.send(PAYLOAD, 14, 17);  // 8 > 6: the hole [5, 7) goes, then [7, 10) is delivered
        assertThat(f.events.subList(3, f.events.size())).containsExactly("limit@" + more, "gap 2@" + more,
                "data 3@2");
        assertThat(f.d.heldBytes()).isEqualTo(5);
        f.d.flush(99, f);
        assertThat(f.events.subList(6, f.events.size())).containsExactly("gap 2@99", "data 2@" + over,
                "data 3@" + more);
        assertThat(f.gaps).isEqualTo(3);
        assertThat(f.gapBytes).isEqualTo(6);
        assertThat(f.bytes.size()).isEqualTo(11);
        f.assertSettled();
    }

    @Test
    void segmentLargerThanTheCap_withNothingHeld_givesUpTheHoleBeforeIt() {
        Fed f = new Fed(0, 4);
        long frame = f.send(PAYLOAD, 2, 12);
        assertThat(f.events).containsExactly("gap 2@" + frame, "data 10@" + frame);
        assertThat(f.stream()).isEqualTo(Arrays.copyOfRange(PAYLOAD, 2, 12));
        f.assertSettled();
    }

    @Test
    void totalCap_isSharedByAllDirections() {
        TcpHeldBytes budget = new TcpHeldBytes(1000, 12);
        Fed a = new Fed(budget, 100, true);
        Fed b = new Fed(budget, 200, true);
        a.send(PAYLOAD, 2, 10);                       // a holds 8
        assertThat(budget.held()).isEqualTo(8);
        long frame = b.send(PAYLOAD, 2, 10);          // 16 > 12 in all, b holds nothing: b gives up its hole
        assertThat(b.events).containsExactly("gap 2@" + frame, "data 8@" + frame);
        assertThat(budget.held()).isEqualTo(8);
        a.send(PAYLOAD, 0, 2);                        // a's hole filled: its held bytes go
        assertThat(a.stream()).isEqualTo(Arrays.copyOfRange(PAYLOAD, 0, 10));
        assertThat(budget.held()).isZero();
        a.assertSettled();
        b.assertSettled();
    }

    /**
     * Random cuts in random order under a small cap: the held bytes never exceed it, every byte delivered is
     * the payload's byte at its stream offset, and delivered plus given-up bytes cover the payload once.
     */
    @Property(tries = 500)
    void underACap_heldBytesStayWithinIt_andTheStreamIsThePayloadWithHoles(
            @ForAll @IntRange(min = 1, max = 600) int length, @ForAll @IntRange(min = 1, max = 40) int maxSegment,
            @ForAll @IntRange(min = 1, max = 100) int cap, @ForAll long shuffle, @ForAll int isn) {
        byte[] p = payload(length, shuffle);
        List<int[]> segs = cut(length, maxSegment, new Random(shuffle));
        Collections.shuffle(segs, new Random(~shuffle));
        Fed f = new Fed(isn, cap);
        for (int[] s : segs) {
            f.send(p, s[0], s[1]);
            assertThat(f.d.heldBytes()).isLessThanOrEqualTo(cap);
        }
        f.d.flush(f.frame, f);
        assertThat(f.bytes.size() + f.gapBytes).isEqualTo(length);
        // replay the events: each data run is the payload at the offset reached so far
        byte[] got = f.stream();
        int at = 0;
        int read = 0;
        for (String e : f.events) {
            if (e.startsWith("gap ")) {
                at += Integer.parseInt(e.substring(4, e.indexOf('@')));
            } else if (e.startsWith("data ")) {
                int n = Integer.parseInt(e.substring(5, e.indexOf('@')));
                assertThat(Arrays.copyOfRange(got, read, read + n)).isEqualTo(Arrays.copyOfRange(p, at, at + n));
                at += n;
                read += n;
            }
        }
        assertThat(f.events.stream().filter(e -> e.startsWith("gap ")).count()).isEqualTo(f.gaps);
        f.assertSettled();
    }

    @Test
    void bytesAcknowledgedButNeverCaptured_becomeAGap() {
        Fed f = new Fed(0);
        f.sendAt(0, ascii("aaaa"));
        f.sendAt(8, ascii("cccc"));                   // held: [4, 8) not yet seen
        f.d.acknowledged(f.base + 2, 10, f);          // behind the stream: nothing
        f.d.acknowledged(f.base + 12, 11, f);         // the peer has [4, 8): a gap up to the held bytes
        assertThat(f.events).containsExactly("data 4@1", "gap 4@11", "data 4@2");
        f.d.acknowledged(f.base + 20, 12, f);         // and [12, 20)
        assertThat(f.events.get(3)).isEqualTo("gap 8@12");
        f.sendAt(20, ascii("d"));
        assertThat(f.text()).isEqualTo("aaaaccccd");
        f.assertSettled();
    }

    @Test
    void ackOfTheFin_isNotAMissingByte() {
        Fed f = new Fed(0);
        f.sendAt(0, ascii("bye"));
        f.d.fin(f.base + 3, 2);
        assertThat(f.d.complete()).isTrue();
        f.d.acknowledged(f.base + 4, 3, f); // the FIN takes one sequence number
        assertThat(f.gaps).isZero();
        f.assertSettled();
    }

    @Test
    void fin_isCompleteOnceEveryByteBeforeItArrived() {
        Fed f = new Fed(0);
        f.sendAt(3, ascii("def"));
        f.d.fin(f.base + 6, 1);
        assertThat(f.d.finSeen()).isTrue();
        assertThat(f.d.finFrame()).isEqualTo(1);
        assertThat(f.d.complete()).isFalse();
        f.sendAt(0, ascii("abc"));
        assertThat(f.d.complete()).isTrue();
        f.d.fin(f.base + 6, 5); // a retransmitted FIN keeps the first frame
        assertThat(f.d.finFrame()).isEqualTo(1);
        f.assertSettled();
    }

    @Test
    void flush_deliversWhatIsHeld_andDeclaresTheHoles() {
        Fed f = new Fed(0);
        long f1 = f.sendAt(2, ascii("cd"));
        long f2 = f.sendAt(6, ascii("gh"));
        f.d.flush(9, f);
        assertThat(f.events).containsExactly("gap 2@9", "data 2@" + f1, "gap 2@9", "data 2@" + f2);
        assertThat(f.gapBytes).isEqualTo(4);
        f.assertSettled();
    }

    @Test
    void late_countsARetransmission() {
        Fed f = new Fed(0);
        f.d.late(f);
        assertThat(f.retransmissions).isEqualTo(1);
        assertThat(f.events).isEmpty();
        f.assertSettled();
    }

    // ---------------------------------------------------------------- cost

    /** The in-order path delivers from the caller's buffer: nothing is allocated per segment. */
    @Test
    void inOrderPath_allocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        TcpDirection d = new TcpDirection(new TcpHeldBytes(1 << 20, 1 << 20));
        long[] sum = new long[1];
        TcpDirection.Output quiet = new TcpDirection.Output() {
            @Override
            public void data(byte[] b, int off, int len, long frame, long nanos) {
                sum[0] += len;
            }

            @Override
            public void gap(long bytes, long frame, String why) {}

            @Override
            public void bufferLimit(long frame) {}

            @Override
            public void retransmission() {}
        };
        byte[] b = PAYLOAD;
        int seq = d.begin(0, true);
        int segments = 200_000;
        for (int i = 0; i < segments; i++) { // warm up
            d.data(seq, b, 0, 10, i, i, quiet);
            d.acknowledged(seq, i, quiet);
            seq += 10;
        }
        long before = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < segments; i++) {
            d.data(seq, b, 0, 10, i, i, quiet);
            d.acknowledged(seq, i, quiet);
            seq += 10;
        }
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(sum[0]).isEqualTo(20L * segments);
        assertThat(allocated).as("bytes allocated for %d in-order segments", segments).isLessThan(segments / 10);
    }
}
