package org.iotpcap.capture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.iotpcap.testing.CaptureBytes.MAGIC_MICRO;
import static org.iotpcap.testing.CaptureBytes.MAGIC_MODIFIED;
import static org.iotpcap.testing.CaptureBytes.MAGIC_NANO;

import java.nio.ByteOrder;
import org.iotpcap.bytes.Limits;
import org.iotpcap.testing.CaptureBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** libpcap files laid out byte by byte: both byte orders, the three magics, lengths and limits. */
class PcapReaderTest {
    private static final byte[] A = {1, 2, 3, 4, 5};
    private static final byte[] B = {9, 8, 7};

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void microsecondMagic_bothByteOrders(String orderName) throws Exception {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] file = new CaptureBytes.Pcap(order, MAGIC_MICRO, 1, 262144)
                .record(1589293419, 387734, A, 60)
                .record(1589293420, 999999, B)
                .bytes();
        Read r = Read.all(file);
        assertThat(r.reader.format()).isEqualTo(CaptureFormat.PCAP);
        assertThat(r.reader.interfaces()).singleElement().satisfies(i -> {
            assertThat(i.linkType()).isEqualTo(1);
            assertThat(i.snapLength()).isEqualTo(262144);
        });
        assertThat(r.frames).hasSize(2);
        assertThat(r.frames.get(0).number()).isEqualTo(1);
        assertThat(r.frames.get(0).nanos()).isEqualTo(1589293419_387734000L);
        assertThat(r.frames.get(0).data()).containsExactly(A);
        assertThat(r.frames.get(0).originalLength()).isEqualTo(60);
        assertThat(r.frames.get(0).linkType()).isEqualTo(1);
        assertThat(r.frames.get(1).nanos()).isEqualTo(1589293420_999999000L);
        assertThat(r.frames.get(1).data()).containsExactly(B);
        assertThat(r.problems).isEmpty();
        assertThat(r.reader.warnings()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void nanosecondMagic(String orderName) throws Exception {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] file = new CaptureBytes.Pcap(order, MAGIC_NANO, 101, 65535).record(1700000000, 123456789, A).bytes();
        Read r = Read.all(file);
        assertThat(r.reader.format()).isEqualTo(CaptureFormat.PCAP_NANO);
        assertThat(r.frames).singleElement().satisfies(f -> {
            assertThat(f.nanos()).isEqualTo(1700000000_123456789L);
            assertThat(f.linkType()).isEqualTo(101);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void modifiedPcap_24ByteRecordHeaders(String orderName) throws Exception {
        ByteOrder order = orderName.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        byte[] file = new CaptureBytes.Pcap(order, MAGIC_MODIFIED, 1, 65535)
                .record(10, 500000, A).record(11, 1, B).bytes();
        Read r = Read.all(file);
        assertThat(r.reader.format()).isEqualTo(CaptureFormat.PCAP_MODIFIED);
        assertThat(r.frames).hasSize(2);
        assertThat(r.frames.get(0).data()).containsExactly(A);
        assertThat(r.frames.get(0).nanos()).isEqualTo(10_500000000L);
        assertThat(r.frames.get(1).data()).containsExactly(B);
        assertThat(r.frames.get(1).nanos()).isEqualTo(11_000001000L);
    }

    @Test
    void timestampsAboveTwoToThe31Seconds_areUnsigned() throws Exception {
        // ts_sec is an unsigned 32-bit field: 0x90000000 s is in 2046
        byte[] file = CaptureBytes.Pcap.micro(1).record(0x90000000L, 0, A).bytes();
        assertThat(Read.all(file).frames.get(0).nanos()).isEqualTo(0x90000000L * 1_000_000_000L);
    }

    @Test
    void recordOverTheLimit_isReportedAndReadingStops() throws Exception {
        Limits small = new Limits(64, Limits.DEFAULTS.fragmentTimeoutNanos(), 65535, 16, 1 << 20, 1 << 24, 1000);
        byte[] file = CaptureBytes.Pcap.micro(1).record(1, 0, A).record(2, 0, new byte[65]).record(3, 0, B).bytes();
        Read r = Read.all(file, small);
        assertThat(r.frames).hasSize(1);
        assertThat(r.reasons()).containsExactly("record_too_large");
        assertThat(r.reader.warnings()).singleElement().asString().contains("exceeds limit (64)");
    }

    @Test
    void emptyCaptureAfterTheHeader_hasNoFramesAndNoWarning() throws Exception {
        Read r = Read.all(CaptureBytes.Pcap.micro(1).bytes());
        assertThat(r.frames).isEmpty();
        assertThat(r.reader.warnings()).isEmpty();
    }

    @Test
    void linkTypeField_upperBitsHoldFcsInformation_notTheLinkType() throws Exception {
        // LinkType field: bits 28-31 FCS length and flag, bits 16-27 reserved; the link type is the low 16 bits
        byte[] file = new CaptureBytes.Pcap(ByteOrder.LITTLE_ENDIAN, MAGIC_MICRO, 0x1000_0000 | 1, 65535)
                .record(1, 0, A).bytes();
        assertThat(Read.all(file).frames.get(0).linkType()).isEqualTo(1);
    }
}
