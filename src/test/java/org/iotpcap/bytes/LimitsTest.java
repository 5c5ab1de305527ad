package org.iotpcap.bytes;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The state limits follow the heap: a small heap reaches a limit (reported) before it is full. */
class LimitsTest {
    @Test
    void forHeap_scalesStateLimits_andKeepsPerMessageLimits() {
        assertThat(Limits.forHeap(4L << 30)).isEqualTo(Limits.DEFAULTS);
        assertThat(Limits.forHeap(Limits.FULL_STATE_HEAP_BYTES)).isEqualTo(Limits.DEFAULTS);
        Limits small = Limits.forHeap(512L << 20);
        assertThat(small.tcpMaxConnections()).isEqualTo(Limits.DEFAULTS.tcpMaxConnections() / 3);
        assertThat(small.udpMaxFlows()).isLessThan(Limits.DEFAULTS.udpMaxFlows());
        assertThat(small.semantic().coapMaxOpenExchanges()).isLessThan(Limits.DEFAULTS.semantic().coapMaxOpenExchanges());
        assertThat(small.tcpMaxBufferedBytesTotal()).isLessThan(Limits.DEFAULTS.tcpMaxBufferedBytesTotal());
        assertThat(small.maxRecordBytes()).isEqualTo(Limits.DEFAULTS.maxRecordBytes());
        assertThat(small.mqtt()).isEqualTo(Limits.DEFAULTS.mqtt());
        assertThat(small.semantic().coapMaxTransferBytes()).isEqualTo(Limits.DEFAULTS.semantic().coapMaxTransferBytes());
        Limits tiny = Limits.forHeap(1);
        assertThat(tiny.tcpMaxConnections()).isEqualTo(Limits.DEFAULTS.tcpMaxConnections() / 16);
    }
}
