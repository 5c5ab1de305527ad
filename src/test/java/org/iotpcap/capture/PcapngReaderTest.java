package org.iotpcap.capture;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteOrder;
import org.iotpcap.bytes.Limits;
import org.iotpcap.testing.CaptureBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** pcapng files laid out block by block (draft-ietf-opsawg-pcapng), including broken blocks. */
class PcapngReaderTest {
    private static final byte[] A = {1, 2, 3, 4, 5};
    private static final byte[] B = {9, 8, 7};
    private static final byte[] C = {0x45, 0, 0, 20};

    private static ByteOrder order(String name) {
        return name.equals("BIG_ENDIAN") ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void sectionHeader_eitherByteOrder(String o) throws Exception {
        CaptureBytes.Pcapng ng = new CaptureBytes.Pcapng(order(o));
        // default if_tsresol is 6: ticks are microseconds
        byte[] file = ng.interfaceBlock(1, 65535, ng.name("eth0")).epb(0, 1589293419_387734L, A, 60).bytes();
        Read r = Read.all(file);
        assertThat(r.reader.format()).isEqualTo(CaptureFormat.PCAPNG);
        assertThat(r.reader.sections()).isEqualTo(1);
        assertThat(r.reader.interfaces()).singleElement().satisfies(i -> {
            assertThat(i.linkType()).isEqualTo(1);
            assertThat(i.name()).isEqualTo("eth0");
            assertThat(i.snapLength()).isEqualTo(65535);
        });
        assertThat(r.frames).singleElement().satisfies(f -> {
            assertThat(f.nanos()).isEqualTo(1589293419_387734000L);
            assertThat(f.data()).containsExactly(A);
            assertThat(f.originalLength()).isEqualTo(60);
            assertThat(f.linkType()).isEqualTo(1);
        });
        assertThat(r.problems).isEmpty();
    }

    @Test
    void twoSections_interfacesResetPerSection_andByteOrderMayChange() throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1).interfaceBlock(113).epb(1, 1_000_000, A);
        ng.section(ByteOrder.BIG_ENDIAN);
        ng.interfaceBlock(101).epb(0, 2_000_000, B).epb(1, 3_000_000, C); // id 1 is not described in section 2
        Read r = Read.all(ng.bytes());
        assertThat(r.reader.sections()).isEqualTo(2);
        assertThat(r.reader.interfaces()).extracting(CaptureInterface::linkType).containsExactly(1, 113, 101);
        assertThat(r.reader.interfaces()).extracting(CaptureInterface::section).containsExactly(0, 0, 1);
        assertThat(r.frames).hasSize(3);
        assertThat(r.frames.get(0).linkType()).isEqualTo(113);
        assertThat(r.frames.get(0).interfaceId()).isEqualTo(1);
        assertThat(r.frames.get(1).linkType()).isEqualTo(101);
        assertThat(r.frames.get(1).interfaceId()).isEqualTo(2); // numbered across the whole file
        assertThat(r.frames.get(1).nanos()).isEqualTo(2_000_000_000L);
        assertThat(r.frames.get(1).data()).containsExactly(B);
        assertThat(r.frames.get(2).interfaceId()).isEqualTo(-1);
        assertThat(r.reasons()).containsExactly("undescribed_interface");
        assertThat(r.problems.get(0).frame()).isEqualTo(3);
    }

    @Test
    void severalInterfacesWithDifferentLinkTypes() throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1).interfaceBlock(276).interfaceBlock(0).interfaceBlock(229);
        ng.epb(3, 1, C).epb(0, 2, A).epb(1, 3, B).epb(2, 4, A);
        Read r = Read.all(ng.bytes());
        assertThat(r.frames).extracting(Read.Frame::linkType).containsExactly(229, 1, 276, 0);
        assertThat(r.frames).extracting(Read.Frame::interfaceId).containsExactly(3, 0, 1, 2);
    }

    @ParameterizedTest(name = "tsresol 0x{0}, ticks {1} -> {2} ns")
    @CsvSource({
        "03, 1589293419387, 1589293419387000000",       // 10^-3
        "06, 1589293419387734, 1589293419387734000",    // 10^-6 (the default)
        "09, 1589293419387734677, 1589293419387734677", // 10^-9
        "8a, 5632, 5500000000",                         // 2^-10: 5.5 * 1024 ticks
        "8a, 1, 976562",                                // 2^-10: 976562.5 ns, rounded down
        "9e, 3758096384, 3500000000",                   // 2^-30: 3.5 * 2^30 ticks
    })
    void ifTsresol(String tsresol, long ticks, long nanos) throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1, 65535, ng.tsresol(Integer.parseInt(tsresol, 16))).epb(0, ticks, A);
        assertThat(Read.all(ng.bytes()).frames.get(0).nanos()).isEqualTo(nanos);
    }

    @ParameterizedTest
    @ValueSource(strings = {"LITTLE_ENDIAN", "BIG_ENDIAN"})
    void ifTsoffset_addsSeconds(String o) throws Exception {
        CaptureBytes.Pcapng ng = new CaptureBytes.Pcapng(order(o));
        ng.interfaceBlock(1, 65535, ng.tsresol(6), ng.tsoffset(1_600_000_000L)).epb(0, 1_500_000, A);
        Read r = Read.all(ng.bytes());
        assertThat(r.frames.get(0).nanos()).isEqualTo(1_600_000_001_500_000_000L);
        assertThat(r.reader.interfaces().get(0).tsOffsetSeconds()).isEqualTo(1_600_000_000L);
    }

    @Test
    void simplePacketBlock_usesInterfaceZero_noTimestamp_capturedLengthCappedBySnapLength() throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(101, 4).spb(A, 5).spb(B, 3);
        Read r = Read.all(ng.bytes());
        assertThat(r.frames).hasSize(2);
        // SPB: captured length = min(original length, snap length); the block carries padding beyond it
        assertThat(r.frames.get(0).data()).containsExactly(1, 2, 3, 4);
        assertThat(r.frames.get(0).originalLength()).isEqualTo(5);
        assertThat(r.frames.get(0).linkType()).isEqualTo(101);
        assertThat(r.frames.get(1).data()).containsExactly(B);
        assertThat(r.frames.get(0).nanos()).isZero();
    }

    @Test
    void obsoletePacketBlock() throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1).interfaceBlock(113).packetBlock(1, 7_000_001L, B, 70);
        Read r = Read.all(ng.bytes());
        assertThat(r.frames).singleElement().satisfies(f -> {
            assertThat(f.linkType()).isEqualTo(113);
            assertThat(f.nanos()).isEqualTo(7_000_001_000L);
            assertThat(f.data()).containsExactly(B);
            assertThat(f.originalLength()).isEqualTo(70);
        });
    }

    @Test
    void otherBlocks_areSkippedAndCounted() throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1);
        ng.block(4, new byte[] {0, 0, 0, 0});            // name resolution: nrb_record_end
        ng.epb(0, 1, A);
        ng.block(5, new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}); // interface statistics
        ng.block(0x00000BAD, new byte[] {0, 0, 0x7e, 0x6a, 1, 2, 3, 4}); // custom (PEN 32473)
        ng.block(0x40000BAD, new byte[] {0, 0, 0x7e, 0x6a});
        ng.block(0x99, new byte[] {1, 2, 3, 4});             // unknown
        ng.epb(0, 2, B);
        Read r = Read.all(ng.bytes());
        assertThat(r.frames).hasSize(2);
        assertThat(r.reader.skippedBlocks()).containsEntry("name resolution", 1L)
                .containsEntry("interface statistics", 1L).containsEntry("custom", 2L)
                .containsEntry("unknown 0x00000099", 1L).hasSize(4);
        assertThat(r.problems).isEmpty();
    }

    @ParameterizedTest(name = "leading {0}, trailing {1}: {2}")
    @CsvSource({
        "30, 30, bad_block_length",          // not a multiple of 4
        "8, 8, bad_block_length",            // under 12
        "36, 40, block_length_mismatch",     // trailer disagrees
        "1048576, 1048576, bad_block_length" // over the limit (1 MiB in this test)
    })
    void brokenBlockLength_isReportedAndReadingStops(int leading, int trailing, String reason) throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1).epb(0, 1, A);
        ng.blockWithLengths(6, new byte[24], leading, trailing);
        ng.epb(0, 2, B);
        Limits limits = new Limits(1024 * 1024 - 4, Limits.DEFAULTS.fragmentTimeoutNanos(), 65535, 16, 1 << 20,
                1 << 24, 1000);
        Read r = Read.all(ng.bytes(), limits);
        assertThat(r.frames).hasSize(1);
        assertThat(r.frames.get(0).data()).containsExactly(A);
        assertThat(r.reasons()).containsExactly(reason);
        assertThat(r.reader.warnings()).singleElement().asString().contains("reading stops");
    }

    @Test
    void capturedLengthAboveTheBlock_isReported_andTheNextBlockIsRead() throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1).epbWithCapturedLength(0, 1, A, 200, 200).epb(0, 2, B);
        Read r = Read.all(ng.bytes());
        assertThat(r.frames).singleElement().satisfies(f -> assertThat(f.data()).containsExactly(B));
        assertThat(r.reasons()).containsExactly("bad_packet_block");
    }

    @Test
    void sectionHeaderWithBadByteOrderMagic_stops() throws Exception {
        CaptureBytes.Pcapng ng = CaptureBytes.Pcapng.le();
        ng.interfaceBlock(1).epb(0, 1, A);
        ng.block(0x0A0D0D0A, new byte[] {1, 2, 3, 4, 1, 0, 0, 0, -1, -1, -1, -1, -1, -1, -1, -1});
        ng.epb(0, 2, B);
        Read r = Read.all(ng.bytes());
        assertThat(r.frames).hasSize(1);
        assertThat(r.reasons()).containsExactly("bad_byte_order_magic");
    }
}
