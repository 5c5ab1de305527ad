package org.iotpcap.bytes;

/**
 * Every limit of every layer in one object, with its default: the capture reader's, IP and TCP reassembly's,
 * each dissector's ({@link Dns}, {@link Coap}, {@link Mqtt}, {@link MqttSn}, {@link WebSocket}) and the semantic model's
 * ({@link Semantic}). A limit that is hit is reported as a diagnostic ("X (n) exceeds limit (m)") and the run goes
 * on; none of them is silent. docs/robustness.md lists them all.
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
 * @param dns the DNS decoder's limits
 * @param coap the CoAP decoder's limits
 * @param mqtt the MQTT framer's and decoders' limits
 * @param mqttsn the MQTT-SN decoder's limits
 * @param websocket the WebSocket layer's limits
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
        Dns dns,
        Coap coap,
        Mqtt mqtt,
        MqttSn mqttsn,
        WebSocket websocket,
        Semantic semantic) {

    /**
     * Input limits of the DNS decoder.
     *
     * @param maxRecordsPerSection largest QDCOUNT, ANCOUNT, NSCOUNT or ARCOUNT accepted (default 1024; a UDP
     *     message of 65,535 octets holds at most 5,957 records of the minimum 11 octets)
     * @param maxPointerHops compression pointers followed while reading one name (default 32); forward pointers
     *     are allowed, so this and the loop check are what bound the walk
     * @param maxNameOctets longest expanded name in wire form, length octets and the root octet included
     *     (default 255, RFC 1035 section 3.1)
     */
    public record Dns(int maxRecordsPerSection, int maxPointerHops, int maxNameOctets) {
        public static final Dns DEFAULTS = new Dns(1024, 32, 255);

        public Dns {
            if (maxRecordsPerSection < 0 || maxPointerHops < 0 || maxNameOctets < 1) {
                throw new IllegalArgumentException("DNS limits out of range: " + maxRecordsPerSection + ", "
                        + maxPointerHops + ", " + maxNameOctets);
            }
        }
    }

    /**
     * Input limits of the CoAP decoder.
     *
     * @param maxOptions options accepted in one message (default 256; a datagram can encode thousands of
     *     one-octet empty options, real messages carry fewer than 20)
     */
    public record Coap(int maxOptions) {
        public static final Coap DEFAULTS = new Coap(256);

        public Coap {
            if (maxOptions < 0) {
                throw new IllegalArgumentException("maxOptions out of range: " + maxOptions);
            }
        }
    }

    /**
     * Input limits of the MQTT framer and decoders. A limit that is hit is reported as malformed with "X (n)
     * exceeds limit (m)"; none is silent.
     *
     * @param maxPacketBytes largest control packet (fixed header included) buffered by the framer. Default
     *     16 MiB: the protocol allows 256 MiB (Remaining Length up to 268,435,455), which no IoT capture needs,
     *     and one buffer of that size per direction of every connection would be an easy way to exhaust memory. A
     *     packet declaring more makes the rest of that direction undecodable (reported once, before any
     *     allocation).
     * @param maxProperties MQTT 5.0 properties accepted in one property list (default 1024)
     * @param maxTopicFilters topic filters accepted in one SUBSCRIBE or UNSUBSCRIBE (default 4096)
     * @param maxTopicAliases topic aliases remembered per direction of a connection (default 1024); an alias
     *     beyond it is not remembered (counted by the stream decoder's {@code aliasesDropped()})
     */
    public record Mqtt(int maxPacketBytes, int maxProperties, int maxTopicFilters, int maxTopicAliases) {
        public static final Mqtt DEFAULTS = new Mqtt(16 * 1024 * 1024, 1024, 4096, 1024);

        public Mqtt {
            if (maxPacketBytes < 2 || maxProperties < 0 || maxTopicFilters < 1 || maxTopicAliases < 0) {
                throw new IllegalArgumentException("MQTT limits out of range: " + this);
            }
        }
    }

    /**
     * Input limits of the MQTT-SN decoder.
     *
     * @param maxMessagesPerDatagram messages decoded from one datagram (default 256); beyond it the rest of the
     *     datagram is reported as too many messages
     * @param maxEncapsulationDepth Forwarder Encapsulations nested in one another (default 4); deeper is
     *     reported as too deep
     * @param maxStoredDataBytes octets of a PUBLISH payload or Will message copied into the record (default
     *     65_535, the largest a message can hold); the true length is always kept
     */
    public record MqttSn(int maxMessagesPerDatagram, int maxEncapsulationDepth, int maxStoredDataBytes) {
        public static final MqttSn DEFAULTS = new MqttSn(256, 4, 65_535);

        public MqttSn {
            if (maxMessagesPerDatagram < 1 || maxEncapsulationDepth < 0 || maxStoredDataBytes < 0) {
                throw new IllegalArgumentException("limits out of range: " + maxMessagesPerDatagram + ", "
                        + maxEncapsulationDepth + ", " + maxStoredDataBytes);
            }
        }
    }

    /**
     * Input limits of the WebSocket layer, with their defaults. A limit that is hit is reported as "X (n) exceeds
     * limit (m)" and stops that direction; none is silent.
     *
     * @param maxHandshakeBytes the longest HTTP request or response head buffered while the opening handshake is
     *     read, and the most client bytes held while the server's answer is awaited (default 16 KiB: mosquitto's
     *     libwebsockets reads heads into 1024 bytes unless {@code websockets_headers_size} says more, and web servers
     *     commonly refuse heads over 8 to 16 KiB). It bounds memory per connection still in its handshake, not in all.
     * @param maxMessageBytes the longest message, all its fragments together (default 16 MiB, the MQTT packet limit:
     *     MQTT over WebSockets needs no message longer than the packets it carries). Payload bytes are streamed on,
     *     never buffered, so this bounds no memory: it stops a direction whose length fields are absurd.
     */
    public record WebSocket(int maxHandshakeBytes, long maxMessageBytes) {
        public static final WebSocket DEFAULTS = new WebSocket(16 * 1024, 16L * 1024 * 1024);

        public WebSocket {
            if (maxHandshakeBytes < 16 || maxMessageBytes < 1) {
                throw new IllegalArgumentException("WebSocket limits out of range: " + this);
            }
        }
    }

    /**
     * What the semantic model holds across messages, each capped; a cap that is reached is reported
     * ({@code semantic/...}) and the run goes on.
     *
     * @param mqttMaxSubscriptionsPerConnection subscriptions held per session (a connection's, or a persistent
     *     session's across its connections); more are written at once with {@code removed_by = 'limit'}
     * @param mqttMaxFiredWills fired wills held (all brokers together) to recognise their deliveries; the oldest is
     *     written and no longer matched beyond it
     * @param mqttMaxClients MQTT clients held for {@code mqtt_clients}; further clients get no row
     * @param coapMaxOpenExchanges CoAP requests held for matching responses; the least recently active is written
     *     beyond it (requests idle for five minutes are written anyway)
     * @param coapMaxOpenTransfers block-wise transfers being reassembled at once; a new one beyond it is not
     *     reassembled
     * @param coapMaxTransferBytes body bytes kept per transfer (the byte count stays true)
     * @param coapMaxHeldTransferBytes body bytes kept across all open transfers; beyond it a transfer's further
     *     blocks are counted but not kept
     * @param dnsMaxNames distinct DNS names remembered for {@code names}
     * @param mqttMaxSessions MQTT sessions held (connected, or persistent and waiting for their client); beyond it
     *     the least recently used one that is not connected is written with {@code ended_by = 'limit'}
     * @param mqttMaxRetained retained messages held as the brokers store them; beyond it the oldest is written
     *     with {@code ended_by = 'limit'} and no longer linked to deliveries
     * @param mqttMaxHeldPublishes client PUBLISHes remembered to link the broker's deliveries to them; beyond it
     *     the oldest is forgotten (its later deliveries name no source)
     */
    public record Semantic(int mqttMaxSubscriptionsPerConnection, int mqttMaxFiredWills, int mqttMaxClients,
                           int coapMaxOpenExchanges, int coapMaxOpenTransfers, int coapMaxTransferBytes,
                           long coapMaxHeldTransferBytes, int dnsMaxNames, int mqttMaxSessions, int mqttMaxRetained,
                           int mqttMaxHeldPublishes) {
        public static final Semantic DEFAULTS = new Semantic(10_000, 100_000, 1_000_000, 250_000, 100_000, 1 << 20,
                64L << 20, 1_000_000, 1_000_000, 1_000_000, 200_000);

        public Semantic {
            if (mqttMaxSubscriptionsPerConnection < 1 || mqttMaxFiredWills < 1 || mqttMaxClients < 1
                    || coapMaxOpenExchanges < 1 || coapMaxOpenTransfers < 1 || coapMaxTransferBytes < 0
                    || coapMaxHeldTransferBytes < 0 || dnsMaxNames < 1 || mqttMaxSessions < 1 || mqttMaxRetained < 1
                    || mqttMaxHeldPublishes < 1) {
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
            Dns.DEFAULTS, Coap.DEFAULTS, Mqtt.DEFAULTS, MqttSn.DEFAULTS, WebSocket.DEFAULTS, Semantic.DEFAULTS);

    /** The heap at and above which {@link #forHeap} gives {@link #DEFAULTS}. */
    public static final long FULL_STATE_HEAP_BYTES = 1536L << 20;

    /**
     * The defaults scaled to a heap of {@code maxHeapBytes} ({@code Runtime.maxMemory()}): the limits on state
     * held across frames (TCP connections, UDP flows, and the semantic model's CoAP exchanges and transfers, MQTT
     * clients and fired wills, DNS names) shrink in proportion below {@link #FULL_STATE_HEAP_BYTES} (to a sixteenth
     * at most), so a command run with {@code -Xmx512m} reaches a limit, reported as usual, before the heap is full.
     * Limits on one record or message do not change.
     */
    public static Limits forHeap(long maxHeapBytes) {
        double f = Math.max(1.0 / 16, heapFraction(maxHeapBytes));
        if (f >= 1.0) {
            return DEFAULTS;
        }
        Limits d = DEFAULTS;
        Semantic s = d.semantic;
        Semantic scaled = new Semantic(s.mqttMaxSubscriptionsPerConnection(), scale(s.mqttMaxFiredWills(), f),
                scale(s.mqttMaxClients(), f), scale(s.coapMaxOpenExchanges(), f), scale(s.coapMaxOpenTransfers(), f),
                s.coapMaxTransferBytes(), (long) (s.coapMaxHeldTransferBytes() * f), scale(s.dnsMaxNames(), f),
                scale(s.mqttMaxSessions(), f), scale(s.mqttMaxRetained(), f), scale(s.mqttMaxHeldPublishes(), f));
        return new Limits(d.maxRecordBytes, d.fragmentTimeoutNanos, d.maxFragmentDatagramBytes,
                d.maxFragmentDatagramsInFlight, d.tcpMaxBufferedBytesPerDirection,
                (long) (d.tcpMaxBufferedBytesTotal * f), scale(d.tcpMaxConnections, f), scale(d.udpMaxFlows, f), d.dns,
                d.coap, d.mqtt, d.mqttsn, d.websocket, scaled);
    }

    /** A heap's size as a fraction of {@link #FULL_STATE_HEAP_BYTES}, at most 1: how far what is held shrinks. */
    public static double heapFraction(long maxHeapBytes) {
        return Math.min(1.0, (double) maxHeapBytes / FULL_STATE_HEAP_BYTES);
    }

    /** {@link #forHeap} for this JVM's heap: what the commands use. */
    public static Limits forThisHeap() {
        return forHeap(Runtime.getRuntime().maxMemory());
    }

    private static int scale(int n, double f) {
        return Math.max(1, (int) (n * f));
    }

    /** The capture and transport limits given, every other limit at its default. */
    public Limits(int maxRecordBytes, long fragmentTimeoutNanos, int maxFragmentDatagramBytes,
                  int maxFragmentDatagramsInFlight, int tcpMaxBufferedBytesPerDirection, long tcpMaxBufferedBytesTotal,
                  int tcpMaxConnections) {
        this(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes, maxFragmentDatagramsInFlight,
                tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, tcpMaxConnections, DEFAULT_UDP_MAX_FLOWS,
                Dns.DEFAULTS, Coap.DEFAULTS, Mqtt.DEFAULTS, MqttSn.DEFAULTS, WebSocket.DEFAULTS, Semantic.DEFAULTS);
    }

    public Limits {
        if (maxRecordBytes < 64 || fragmentTimeoutNanos <= 0 || maxFragmentDatagramBytes < 68
                || maxFragmentDatagramsInFlight < 1 || tcpMaxBufferedBytesPerDirection < 1
                || tcpMaxBufferedBytesTotal < 1 || tcpMaxConnections < 1 || udpMaxFlows < 1
                || dns == null || coap == null || mqtt == null || mqttsn == null || websocket == null
                || semantic == null) {
            throw new IllegalArgumentException("limits out of range: " + this);
        }
    }

    public Limits withTcpBuffers(int perDirection, long total) {
        return new Limits(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes,
                maxFragmentDatagramsInFlight, perDirection, total, tcpMaxConnections, udpMaxFlows, dns, coap, mqtt,
                mqttsn, websocket, semantic);
    }

    public Limits withTcpMaxConnections(int connections) {
        return new Limits(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes,
                maxFragmentDatagramsInFlight, tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, connections,
                udpMaxFlows, dns, coap, mqtt, mqttsn, websocket, semantic);
    }

    public Limits withFragments(long timeoutNanos, int maxDatagramBytes, int inFlight) {
        return new Limits(maxRecordBytes, timeoutNanos, maxDatagramBytes, inFlight,
                tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, tcpMaxConnections, udpMaxFlows, dns, coap,
                mqtt, mqttsn, websocket, semantic);
    }

    public Limits withUdpMaxFlows(int flows) {
        return new Limits(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes, maxFragmentDatagramsInFlight,
                tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, tcpMaxConnections, flows, dns, coap, mqtt,
                mqttsn, websocket, semantic);
    }

    public Limits withProtocols(Dns d, Coap c, Mqtt m, MqttSn s) {
        return new Limits(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes, maxFragmentDatagramsInFlight,
                tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, tcpMaxConnections, udpMaxFlows, d, c, m, s,
                websocket, semantic);
    }

    public Limits withSemantic(Semantic s) {
        return new Limits(maxRecordBytes, fragmentTimeoutNanos, maxFragmentDatagramBytes, maxFragmentDatagramsInFlight,
                tcpMaxBufferedBytesPerDirection, tcpMaxBufferedBytesTotal, tcpMaxConnections, udpMaxFlows, dns, coap,
                mqtt, mqttsn, websocket, s);
    }
}
