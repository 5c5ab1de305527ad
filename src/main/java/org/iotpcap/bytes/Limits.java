package org.iotpcap.bytes;

/**
 * Every input limit in one place, with its default. A limit that is hit is reported as a diagnostic
 * ("X (n) exceeds limit (m)") and the run goes on; none of them is silent.
 *
 * @param maxRecordBytes largest pcap record or pcapng block accepted (bytes); a larger one ends the read
 * @param fragmentTimeoutNanos capture time after which an incomplete IP datagram is dropped
 * @param maxFragmentDatagramBytes largest IP datagram rebuilt from fragments
 * @param maxFragmentDatagramsInFlight incomplete IP datagrams held at once; the oldest is evicted beyond it
 * @param tcpMaxBufferedBytesPerDirection out-of-order bytes held for one direction of one connection
 * @param tcpMaxBufferedBytesTotal out-of-order bytes held across all connections
 * @param tcpMaxConnections TCP connections tracked at once; the least recently active is evicted beyond it
 * @param udpMaxFlows UDP flows (endpoint pairs) remembered at once for numbering; the least recently active is
 *     forgotten beyond it, and a forgotten flow that comes back is counted as a new flow
 * @param semantic the semantic model's limits (state held across messages)
 */
public record Limits(
        int maxRecordBytes,
        long fragmentTimeoutNanos,
        int maxFragmentDatagramBytes,
        int maxFragmentDatagramsInFlight,
        int tcpMaxBufferedBytesPerDirection,
        long tcpMaxBufferedBytesTotal,
        int tcpMaxConnections,
        int udpMaxFlows,
        Semantic semantic) {

    /**
     * What the semantic model holds across messages, each capped; a cap that is reached is reported
     * ({@code semantic/...}) and the run goes on.
     *
     * @param mqttMaxSubscriptionsPerConnection subscriptions held per connection; more are written at once with
     *     {@code removed_by = 'limit'}
     * @param mqttMaxFiredWillsPerBroker fired wills held per broker to recognise their deliveries; the oldest is
     *     written and no longer matched beyond it
     * @param mqttMaxClients MQTT clients held for {@code mqtt_clients}; further clients get no row
     * @param coapMaxOpenExchanges CoAP requests held for matching responses; the least recently active is written
     *     beyond it (requests idle for five minutes are written anyway)
     * @param dnsMaxNames distinct DNS names remembered for {@code names}
     */
    public record Semantic(int mqttMaxSubscriptionsPerConnection, int mqttMaxFiredWillsPerBroker, int mqttMaxClients,
                           int coapMaxOpenExchanges, int dnsMaxNames) {
        public static final Semantic DEFAULTS = new Semantic(10_000, 100_000, 1_000_000, 250_000, 1_000_000);

        public Semantic {
            if (mqttMaxSubscriptionsPerConnection < 1 || mqttMaxFiredWillsPerBroker < 1 || mqttMaxClients < 1
                    || coapMaxOpenExchanges < 1 || dnsMaxNames < 1) {
                throw new IllegalArgumentException("semantic limits out of range: " + this);
            }
        }
    }

    public static final int DEFAULT_UDP_MAX_FLOWS = 1_000_000;

    public static final Limits DEFAULTS = new Limits(
            16 * 1024 * 1024,
            60_000_000_000L,
            65_535,
            4_096,
            4 * 1024 * 1024,
            256L * 1024 * 1024,
            200_000,
            DEFAULT_UDP_MAX_FLOWS,
            Semantic.DEFAULTS);

    /** The limits with the default UDP flow limit. */
    public Limits(int maxRecordBytes, long fragmentTimeoutNanos, int maxFragmentDatagramBytes,
                  int maxFragmentDatagramsInFlight, int tcpMaxBufferedBytesPerDirection, long tcpMaxBufferedBytesTotal,
                  int tcpMaxConnections) {
        this(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes, maxFragmentDatagramsInFlight,
                tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, tcpMaxConnections, DEFAULT_UDP_MAX_FLOWS,
                Semantic.DEFAULTS);
    }

    public Limits {
        if (maxRecordBytes < 64 || fragmentTimeoutNanos <= 0 || maxFragmentDatagramBytes < 68
                || maxFragmentDatagramsInFlight < 1 || tcpMaxBufferedBytesPerDirection < 1
                || tcpMaxBufferedBytesTotal < 1 || tcpMaxConnections < 1 || udpMaxFlows < 1 || semantic == null) {
            throw new IllegalArgumentException("limits out of range: " + this);
        }
    }

    public Limits withTcpBuffers(int perDirection, long total) {
        return new Limits(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes,
                maxFragmentDatagramsInFlight, perDirection, total, tcpMaxConnections, udpMaxFlows, semantic);
    }

    public Limits withTcpMaxConnections(int connections) {
        return new Limits(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes,
                maxFragmentDatagramsInFlight, tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, connections,
                udpMaxFlows, semantic);
    }

    public Limits withFragments(long timeoutNanos, int maxDatagramBytes, int inFlight) {
        return new Limits(maxRecordBytes, timeoutNanos, maxDatagramBytes, inFlight,
                tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, tcpMaxConnections, udpMaxFlows, semantic);
    }

    public Limits withUdpMaxFlows(int flows) {
        return new Limits(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes, maxFragmentDatagramsInFlight,
                tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, tcpMaxConnections, flows, semantic);
    }

    public Limits withSemantic(Semantic s) {
        return new Limits(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes, maxFragmentDatagramsInFlight,
                tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, tcpMaxConnections, udpMaxFlows, s);
    }
}
