package org.iotpcap.dissect.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link TlsRecordFramer}: every split point, one byte at a time, several records per segment, bad headers. */
class TlsRecordFramerTest {
    /** Records seen: "type:length:firstFrame-lastFrame", and the stop reason. */
    static final class Seen implements TlsRecordFramer.Sink {
        final List<String> records = new ArrayList<>();
        String stopped;

        @Override
        public void record(int type, int version, byte[] f, int off, int len, long first, long last, long nanos) {
            records.add(type + ":" + len + ":" + first + "-" + last + ":" + (len > 0 ? f[off] : -1));
        }

        @Override
        public void stopped(long frame, String reason, String detail) {
            stopped = reason + "@" + frame;
        }
    }

    /** Three records: handshake (4 bytes), change_cipher_spec (1 byte), application_data (0 bytes). */
    static final byte[] STREAM = {
        22, 3, 3, 0, 4, 1, 2, 3, 4,   // handshake, TLS 1.2, length 4
        20, 3, 3, 0, 1, 1,            // change_cipher_spec, length 1
        23, 3, 3, 0, 0};              // application_data, length 0

    @Test
    void wholeStream_oneSegment() {
        Seen s = new Seen();
        new TlsRecordFramer(s).feed(STREAM, 0, STREAM.length, 7, 0);
        assertThat(s.records).containsExactly("22:4:7-7:1", "20:1:7-7:1", "23:0:7-7:-1");
        assertThat(s.stopped).isNull();
    }

    @Test
    void everySplitPoint() {
        for (int cut = 0; cut <= STREAM.length; cut++) {
            Seen s = new Seen();
            TlsRecordFramer f = new TlsRecordFramer(s);
            f.feed(STREAM, 0, cut, 1, 0);
            f.feed(STREAM, cut, STREAM.length - cut, 2, 0);
            assertThat(s.records).as("cut at " + cut).hasSize(3);
            assertThat(s.records.get(0)).as("cut at " + cut).isEqualTo("22:4:" + (cut == 0 ? 2 : 1) + "-"
                    + (cut < 9 ? 2 : 1) + ":1");
            assertThat(f.held()).isZero();
        }
    }

    @Test
    void oneByteAtATime() {
        Seen s = new Seen();
        TlsRecordFramer f = new TlsRecordFramer(s);
        for (int i = 0; i < STREAM.length; i++) {
            f.feed(STREAM, i, 1, i + 1, 0);
        }
        assertThat(s.records).containsExactly("22:4:1-9:1", "20:1:10-15:1", "23:0:16-20:-1");
    }

    @Test
    void badContentType_stops() {
        Seen s = new Seen();
        TlsRecordFramer f = new TlsRecordFramer(s);
        f.feed(new byte[] {'G', 'E', 'T', ' ', '/'}, 0, 5, 3, 0);
        assertThat(s.stopped).isEqualTo("bad_content_type@3");
        f.feed(STREAM, 0, STREAM.length, 4, 0);
        assertThat(s.records).isEmpty();
        assertThat(f.stopped()).isTrue();
    }

    @Test
    void badVersion_stops() {
        Seen s = new Seen();
        new TlsRecordFramer(s).feed(new byte[] {22, 2, 0, 0, 1, 0}, 0, 6, 1, 0);
        assertThat(s.stopped).isEqualTo("bad_version@1");
    }

    @Test
    void recordTooLong_stops() {
        int n = TlsRecordFramer.MAX_RECORD_BYTES + 1;
        Seen s = new Seen();
        new TlsRecordFramer(s).feed(new byte[] {23, 3, 3, (byte) (n >> 8), (byte) n}, 0, 5, 1, 0);
        assertThat(s.stopped).isEqualTo("record_too_long@1");
    }

    @Test
    void largestRecord_isAccepted() {
        int n = TlsRecordFramer.MAX_RECORD_BYTES;
        byte[] b = new byte[5 + n];
        b[0] = 23;
        b[1] = 3;
        b[2] = 3;
        b[3] = (byte) (n >> 8);
        b[4] = (byte) n;
        Seen s = new Seen();
        TlsRecordFramer f = new TlsRecordFramer(s);
        f.feed(b, 0, 100, 1, 0);
        f.feed(b, 100, b.length - 100, 2, 0);
        assertThat(s.records).containsExactly("23:" + n + ":1-2:0");
    }

    @Test
    void gap_stopsTheDirection() {
        Seen s = new Seen();
        TlsRecordFramer f = new TlsRecordFramer(s);
        f.feed(STREAM, 0, 3, 1, 0);
        f.gap(10, 2);
        assertThat(s.stopped).isEqualTo("framing_lost@2");
        f.feed(STREAM, 0, STREAM.length, 3, 0);
        assertThat(s.records).isEmpty();
    }
}
