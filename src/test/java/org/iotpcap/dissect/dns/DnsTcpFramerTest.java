package org.iotpcap.dissect.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsTcpFramerTest {

    record Cut(String hex, long firstFrame, long lastFrame) {}

    static final byte[] A = {0x00, 0x03, 1, 2, 3};          // length 3, message 010203
    static final byte[] B = {0x00, 0x02, 9, 8};             // length 2, message 0908
    static final byte[] EMPTY = {0x00, 0x00};               // length 0

    static byte[] stream() {
        byte[] s = new byte[A.length + B.length + EMPTY.length];
        System.arraycopy(A, 0, s, 0, A.length);
        System.arraycopy(B, 0, s, A.length, B.length);
        System.arraycopy(EMPTY, 0, s, A.length + B.length, EMPTY.length);
        return s;
    }

    static List<Cut> collect(List<Cut> out, List<String> lost, DnsTcpFramer[] holder) {
        holder[0] = new DnsTcpFramer(new DnsTcpFramer.Sink() {
            @Override
            public void message(org.iotpcap.bytes.ByteView m, long first, long last, long ns) {
                out.add(new Cut(m.hex(), first, last));
            }

            @Override
            public void lost(long frame, boolean inStep, String detail) {
                lost.add(frame + ":" + inStep);
            }
        });
        return out;
    }

    @Test
    void several_messages_in_one_segment() {
        List<Cut> out = new ArrayList<>();
        DnsTcpFramer[] f = new DnsTcpFramer[1];
        collect(out, new ArrayList<>(), f);
        byte[] s = stream();
        f[0].feed(s, 0, s.length, 7, 0);
        assertThat(out).containsExactly(new Cut("010203", 7, 7), new Cut("0908", 7, 7), new Cut("", 7, 7));
    }

    @Test
    void every_split_point_gives_the_same_messages_with_their_frames() {
        byte[] s = stream();
        for (int split = 0; split <= s.length; split++) {
            List<Cut> out = new ArrayList<>();
            DnsTcpFramer[] f = new DnsTcpFramer[1];
            collect(out, new ArrayList<>(), f);
            f[0].feed(s, 0, split, 1, 0);
            f[0].feed(s, split, s.length - split, 2, 0);
            assertThat(out).extracting(Cut::hex).as("split at " + split).containsExactly("010203", "0908", "");
            // A spans octets 0..4: it starts in frame 1 unless the split is at 0, and ends in frame 2 when split < 5
            assertThat(out.get(0).firstFrame()).isEqualTo(split == 0 ? 2 : 1);
            assertThat(out.get(0).lastFrame()).isEqualTo(split < 5 ? 2 : 1);
        }
    }

    @Test
    void one_byte_at_a_time() {
        byte[] s = stream();
        List<Cut> out = new ArrayList<>();
        DnsTcpFramer[] f = new DnsTcpFramer[1];
        collect(out, new ArrayList<>(), f);
        for (int i = 0; i < s.length; i++) {
            f[0].feed(s, i, 1, 100 + i, 0);
        }
        assertThat(out).containsExactly(new Cut("010203", 100, 104), new Cut("0908", 105, 108), new Cut("", 109, 110));
    }

    @Test
    void gap_inside_a_message_loses_only_that_message() {
        List<Cut> out = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        DnsTcpFramer[] f = new DnsTcpFramer[1];
        collect(out, lost, f);
        f[0].feed(A, 0, 3, 1, 0);       // prefix + first octet of A
        f[0].gap(1, 2);                 // second octet missing
        f[0].feed(A, 4, 1, 3, 0);       // last octet of A
        f[0].feed(B, 0, B.length, 4, 0);
        assertThat(out).containsExactly(new Cut("0908", 4, 4));
        assertThat(lost).containsExactly("3:true");
        assertThat(f[0].inStep()).isTrue();
    }

    @Test
    void gap_over_a_length_prefix_loses_the_framing() {
        List<Cut> out = new ArrayList<>();
        List<String> lost = new ArrayList<>();
        DnsTcpFramer[] f = new DnsTcpFramer[1];
        collect(out, lost, f);
        f[0].feed(A, 0, A.length, 1, 0);
        f[0].gap(2, 2);                 // B's prefix is missing
        f[0].feed(B, 2, 2, 3, 0);
        assertThat(out).containsExactly(new Cut("010203", 1, 1));
        assertThat(lost).containsExactly("2:false");
        assertThat(f[0].inStep()).isFalse();
    }
}
