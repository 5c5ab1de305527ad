package org.iotpcap.dissect;

import java.util.ArrayList;
import java.util.Arrays;
import org.iotpcap.bytes.Limits;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.dissect.coap.CoapDecoder;
import org.iotpcap.dissect.coap.CoapMessage;
import org.iotpcap.dissect.dns.DnsDecoder;
import org.iotpcap.dissect.dns.DnsMessage;
import org.iotpcap.dissect.dns.DnsTcpFramer;
import org.iotpcap.dissect.mqtt.MqttFramed;
import org.iotpcap.dissect.mqtt.MqttReason;
import org.iotpcap.dissect.mqtt.MqttSink;
import org.iotpcap.dissect.mqtt.decode.MqttDecoder;
import org.iotpcap.dissect.mqtt.decode.MqttStreamDecoder;
import org.iotpcap.dissect.mqttsn.MqttSnDecoder;
import org.iotpcap.dissect.mqttsn.MqttSnMessage;
import org.iotpcap.dissect.tls.DtlsSession;
import org.iotpcap.dissect.tls.TlsSecrets;
import org.iotpcap.dissect.tls.TlsSession;
import org.iotpcap.dissect.websocket.WsConnection;
import org.iotpcap.dissect.websocket.WsReason;
import org.iotpcap.engine.Summary;
import org.iotpcap.transport.Endpoint;
import org.iotpcap.transport.tcp.TcpConnection;
import org.iotpcap.transport.tcp.TcpStreamListener;
import org.iotpcap.transport.udp.UdpDatagram;
import org.iotpcap.transport.udp.UdpListener;

/**
 * Hands each UDP datagram and each rebuilt TCP stream to the dissector its ports (or a heuristic) name,
 * reports what they reject as malformed (frame, protocol, reason) and passes what they decode to a
 * {@link MessageSink}. Counts messages per protocol and type for {@code iotpcap info}.
 *
 * <p>MQTT over WebSockets: on a port bound to {@link Protocol#MQTT_WS}, and on any port when the MQTT heuristic
 * is on, a connection whose client starts with an HTTP GET is read by a {@link WsConnection}; once the server
 * accepts the upgrade the payload of the data frames is fed, per direction and with the frame and time of the TCP
 * bytes that carried it, to the same {@link MqttStreamDecoder} plain MQTT uses, and its messages say transport
 * {@code ws}.
 *
 * <p>A TCP connection bound to TLS (or to {@link Protocol#MQTT_WSS}) is read by a {@link TlsSession}; the
 * application data it decrypts (with the {@link TlsSecrets} given) goes to the inner protocol as a plain TCP
 * stream's bytes do (see {@link #innerProtocol}): to the WebSocket layer, as on a port bound to mqtt-ws, when the
 * client's first decrypted bytes are an HTTP GET or the port is bound to mqtt-wss (its MQTT messages then say
 * transport {@code wss}); otherwise to MQTT on 8883, when the client offered ALPN {@code mqtt}, or when the MQTT
 * heuristic finds a CONNECT (transport {@code tls}).
 */
public final class Dissection implements UdpListener, TcpStreamListener {
    private final Bindings bindings;
    private final Diagnostics diagnostics;
    private final MessageSink sink;
    private final boolean keepSecrets;
    private final Map<Protocol, long[]> messages = new LinkedHashMap<>();
    /** Counts by type name; a HashMap with mutable counters (no boxing per message), sorted in {@link #fill}. */
    private final Map<Protocol, java.util.HashMap<String, long[]>> types = new java.util.EnumMap<>(Protocol.class);
    private Protocol lastUdpProtocol;
    private long dtlsDatagrams;
    private long tlsConnections;

    private final Limits limits;
    private final TlsSecrets tlsSecrets;

    /** With the default limits and no TLS secrets. */
    public Dissection(Bindings bindings, Diagnostics diagnostics, MessageSink sink, boolean keepSecrets) {
        this(bindings, diagnostics, sink, keepSecrets, Limits.DEFAULTS, new TlsSecrets());
    }

    /**
     * @param limits the decoders' limits (dns, coap, mqtt, mqttsn, websocket)
     * @param tlsSecrets the key log's secrets; a Decryption Secrets Block read later may still add to them
     */
    public Dissection(Bindings bindings, Diagnostics diagnostics, MessageSink sink, boolean keepSecrets,
                      Limits limits, TlsSecrets tlsSecrets) {
        this.limits = limits;
        this.tlsSecrets = tlsSecrets;
        this.bindings = bindings;
        this.diagnostics = diagnostics;
        this.sink = sink;
        this.keepSecrets = keepSecrets;
        for (Protocol p : List.of(Protocol.DNS, Protocol.COAP, Protocol.MQTT, Protocol.MQTTSN)) {
            messages.put(p, new long[1]);
            types.put(p, new java.util.HashMap<>());
        }
    }

    /** The protocol of the last UDP datagram handed in (null: none), for the frames table. */
    public Protocol lastUdpProtocol() {
        return lastUdpProtocol;
    }

    /** The protocol a TCP connection was recognised as (null: none). */
    public static Protocol protocolOf(TcpConnection c) {
        return c.attachment instanceof Stream s ? s.protocol : null;
    }

    /** The TLS state of a connection bound to TLS (null: not TLS). */
    public static TlsSession tlsOf(TcpConnection c) {
        return c.attachment instanceof Stream s ? s.tls : null;
    }

    /**
     * The protocol a TLS connection's decrypted bytes were handed to (null: none): {@link Protocol#MQTT}, or
     * {@link Protocol#MQTT_WS} once a WebSocket upgrade inside the TLS connection succeeded.
     */
    public static Protocol innerProtocolOf(TcpConnection c) {
        return c.attachment instanceof Stream s && s.tls != null ? s.inner : null;
    }

    /**
     * The protocol inside a TLS connection, from its first decrypted bytes ({@code fromClient}, {@code b}):
     * {@link Protocol#MQTT_WS} (the WebSocket layer reads them) when the client opens with an HTTP GET (on a port
     * not bound to mqtt-wss only with the MQTT heuristic on, as on plain TCP) or the port is bound to mqtt-wss and
     * the client does not open with a CONNECT; {@link Protocol#MQTT} when the server port is 8883 (MQTT over TLS,
     * IANA "secure-mqtt"), the client offered ALPN {@code mqtt}, or the MQTT heuristic finds a CONNECT; null
     * otherwise (the bytes are counted, not dissected).
     */
    Protocol innerProtocol(TcpConnection c, TlsSession tls, boolean wssPort, boolean fromClient, byte[] b, int off,
                           int len) {
        boolean get = fromClient && WsConnection.looksLikeRequestStart(b, off, len);
        boolean connect = fromClient && MqttDecoder.looksLikeConnect(ByteView.of(b, off, len));
        if (get && (wssPort || bindings.heuristics().mqtt())) {
            return Protocol.MQTT_WS;
        }
        if (wssPort && !connect) {
            return Protocol.MQTT_WS;
        }
        if (c.server().port() == 8883 || c.client().port() == 8883) {
            return Protocol.MQTT;
        }
        if (tls.clientHello() != null && tls.clientHello().alpn().contains("mqtt")) {
            return Protocol.MQTT;
        }
        return connect && bindings.heuristics().mqtt() ? Protocol.MQTT : null;
    }

    private void count(Protocol p, String type) {
        messages.get(p)[0]++;
        types.get(p).computeIfAbsent(type, t -> new long[1])[0]++;
    }

    /** Adds the message counts to an engine summary. */
    public void fill(Summary s) {
        for (var e : messages.entrySet()) {
            s.messages.put(e.getKey().label(), e.getValue()[0]);
            Map<String, Long> byType = new TreeMap<>();
            types.get(e.getKey()).forEach((t, n) -> byType.put(t, n[0]));
            s.messageTypes.put(e.getKey().label(), new LinkedHashMap<>(byType));
        }
        s.recordedNotDecoded.put("dtls_datagrams", dtlsDatagrams);
        s.recordedNotDecoded.put("tls_connections", tlsConnections);
    }

    // ---- UDP ----

    @Override
    public void onDatagram(UdpDatagram d) {
        Protocol p = bindings.udp(d.srcPort, d.dstPort);
        ByteView payload = ByteView.of(d.payload, d.payloadOffset, d.payloadLength).withReported(d.declaredPayloadLength);
        if (p == null && bindings.heuristics().coap() && CoapDecoder.looksLike(payload)) {
            p = Protocol.COAP;
        }
        lastUdpProtocol = p;
        if (p == Protocol.DTLS) {
            dtlsDatagrams++;
            dtls(d, payload);
            return;
        }
        if (p == null || !p.decoded()) {
            return;
        }
        MessageContext ctx = new MessageContext(d.frame, d.frame, d.timestampNanos, d.timestampNanos, "udp", d.flowIndex,
                d.source(), d.destination());
        if (d.payloadLength < d.declaredPayloadLength) {
            diagnostics.report(d.frame, layer(p), "truncated", "datagram cut by the snap length: " + d.payloadLength
                    + " of " + d.declaredPayloadLength + " bytes captured");
            return;
        }
        switch (p) {
            case DNS -> dns(ctx, payload);
            case COAP -> {
                DecodeResult<CoapMessage> r = CoapDecoder.decode(payload, limits.coap());
                if (r instanceof DecodeResult.Decoded<CoapMessage> ok) {
                    count(p, ok.value().type().name());
                    sink.coap(ctx, ok.value());
                } else {
                    malformed(d.frame, Layer.COAP, r);
                }
            }
            case MQTTSN -> {
                int i = 0;
                for (DecodeResult<MqttSnMessage> r : MqttSnDecoder.decodeAll(payload, limits.mqttsn())) {
                    if (r instanceof DecodeResult.Decoded<MqttSnMessage> ok) {
                        count(p, ok.value().typeName());
                        sink.mqttsn(ctx, i++, ok.value());
                    } else {
                        malformed(d.frame, Layer.MQTTSN, r);
                    }
                }
            }
            default -> { }
        }
    }

    /** DTLS flows tracked at most; the datagrams of flows beyond are counted, not read (one diagnostic). */
    public static final int MAX_DTLS_FLOWS = 65_536;

    /** One DTLS association: its UDP flow, endpoints (the client sent the first datagram) and state. */
    public record DtlsFlow(long flow, Endpoint client, Endpoint server, long firstFrame, long startNanos,
                           DtlsSession session) {}

    private final Map<Long, DtlsFlow> dtlsFlows = new LinkedHashMap<>();
    private boolean dtlsFlowsCapped;

    /** The DTLS associations seen, in order of their first datagram. */
    public java.util.Collection<DtlsFlow> dtlsFlows() {
        return java.util.Collections.unmodifiableCollection(dtlsFlows.values());
    }

    private void dtls(UdpDatagram d, ByteView payload) {
        DtlsFlow f = dtlsFlows.get(d.flowIndex);
        if (f == null) {
            if (dtlsFlows.size() >= MAX_DTLS_FLOWS) {
                if (!dtlsFlowsCapped) {
                    dtlsFlowsCapped = true;
                    diagnostics.report(d.frame, Layer.TLS, "limit_dtls_flows", "DTLS flows (" + (MAX_DTLS_FLOWS + 1)
                            + ") exceed limit (" + MAX_DTLS_FLOWS + "): later flows are counted, not read");
                }
                return;
            }
            long flow = d.flowIndex;
            Endpoint client = d.source();
            Endpoint server = d.destination();
            DtlsSession session = new DtlsSession(tlsSecrets, new TlsSession.Listener() {
                @Override
                public void plaintext(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                    MessageContext ctx = new MessageContext(frame, frame, nanos, nanos, "udp", flow,
                            fromClient ? client : server, fromClient ? server : client);
                    DecodeResult<CoapMessage> r = CoapDecoder.decode(ByteView.of(b, off, len));
                    if (r instanceof DecodeResult.Decoded<CoapMessage> ok) {
                        count(Protocol.COAP, ok.value().type().name());
                        sink.coap(ctx, ok.value());
                    } else {
                        malformed(frame, Layer.COAP, r);
                    }
                }

                @Override
                public void problem(long frame, String reason, String detail) {
                    diagnostics.report(frame, Layer.TLS, reason, detail + " (udp flow " + flow + ")");
                }
            });
            f = new DtlsFlow(flow, client, server, d.frame, d.timestampNanos, session);
            dtlsFlows.put(flow, f);
        }
        if (d.payloadLength < d.declaredPayloadLength) {
            diagnostics.report(d.frame, Layer.TLS, "truncated", "datagram cut by the snap length: " + d.payloadLength
                    + " of " + d.declaredPayloadLength + " bytes captured");
            return;
        }
        f.session().datagram(d.source().equals(f.client()), payload, d.frame, d.timestampNanos);
    }

    private void dns(MessageContext ctx, ByteView payload) {
        DecodeResult<DnsMessage> r = DnsDecoder.decode(payload, limits.dns());
        if (r instanceof DecodeResult.Decoded<DnsMessage> ok) {
            count(Protocol.DNS, ok.value().response() ? "response" : "query");
            sink.dns(ctx, ok.value());
        } else {
            malformed(ctx.endFrame(), Layer.DNS, r);
        }
    }

    private static Layer layer(Protocol p) {
        return switch (p) {
            case DNS -> Layer.DNS;
            case COAP -> Layer.COAP;
            case MQTT -> Layer.MQTT;
            case MQTTSN -> Layer.MQTTSN;
            default -> Layer.UDP;
        };
    }

    private void malformed(long frame, Layer layer, DecodeResult<?> r) {
        switch (r) {
            case DecodeResult.Malformed<?> m -> diagnostics.report(frame, layer, m.reason().code(),
                    m.detail() + " (at offset " + m.offset() + ")");
            case DecodeResult.Truncated<?> t -> diagnostics.report(frame, layer, "truncated",
                    "message needs " + t.needed() + " bytes, " + t.captured() + " captured");
            default -> { }
        }
    }

    // ---- TCP ----

    /** Per-connection dissection state, kept in {@link TcpConnection#attachment}. */
    private final class Stream implements MqttSink {
        final TcpConnection connection;
        Protocol protocol;
        boolean decided;
        boolean closed;
        MqttStreamDecoder mqtt;
        /** Chunks kept while the MQTT heuristic cannot tell yet ({@link #decide}). */
        List<EarlyChunk> early;
        DnsTcpFramer dnsFromClient;
        DnsTcpFramer dnsFromServer;
        /** The WebSocket layer while the connection may be, or is, MQTT over WebSockets; null otherwise. */
        WsConnection ws;
        /** The port was bound to mqtt-ws by the user: any accepted upgrade is MQTT, a failed one is reported. */
        boolean wsUser;
        String transport = "tcp";
        TlsSession tls;
        /** TLS: the protocol of the decrypted bytes, decided at the first of them. */
        Protocol inner;
        boolean innerDecided;

        Stream(TcpConnection connection) {
            this.connection = connection;
        }

        @Override
        public void onMessage(MqttFramed m) {
            count(Protocol.MQTT, m.typeName());
            Endpoint src = m.fromClient() ? connection.client() : connection.server();
            Endpoint dst = m.fromClient() ? connection.server() : connection.client();
            sink.mqtt(new MessageContext(m.startFrame(), m.endFrame(), m.startNanos(), m.endNanos(), transport,
                    connection.index(), src, dst), connection, m);
        }

        @Override
        public void onMalformed(boolean fromClient, long frame, MqttReason reason, long offset, String detail) {
            diagnostics.report(frame, Layer.MQTT, reason.code(), detail + " (stream offset " + offset + ", "
                    + (fromClient ? "client to server" : "server to client") + ", tcp.stream " + connection.index() + ")");
        }

        /**
         * Puts the WebSocket layer on the stream: the TCP bytes ({@code tls} null), or the bytes a TLS connection
         * decrypts; once upgraded the connection is MQTT over {@code ws}, or {@code wss} inside TLS.
         */
        void startWebSocket(boolean user) {
            wsUser = user;
            ws = new WsConnection(new WsConnection.Sink() {
                @Override
                public void upgraded(String subprotocol, long frame) {
                    if (tls == null) {
                        protocol = Protocol.MQTT;
                        transport = "ws";
                    } else {
                        inner = Protocol.MQTT_WS;
                        transport = "wss";
                    }
                    mqtt = new MqttStreamDecoder(Stream.this, limits.mqtt(), keepSecrets);
                }

                @Override
                public void payload(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                    mqtt.feed(fromClient, b, off, len, frame, nanos);
                }

                @Override
                public void problem(boolean fromClient, WsReason reason, long frame, long offset, String detail) {
                    diagnostics.report(frame, Layer.WEBSOCKET, reason.code(), detail + " (stream offset " + offset
                            + ", " + (fromClient ? "client to server" : "server to client") + ", tcp.stream "
                            + connection.index() + ")");
                }
            }, limits.websocket(), user);
        }

        /** After the WebSocket layer fed {@code frame}: drops it when the connection turned out not to be one. */
        void checkWebSocket(long frame) {
            if (ws != null && ws.state() == WsConnection.State.NOT_WEBSOCKET) {
                if (wsUser) {
                    diagnostics.report(frame, Layer.WEBSOCKET, WsReason.UPGRADE_REFUSED.code(), "no WebSocket"
                            + " upgrade on a port bound to " + (tls == null ? "mqtt-ws" : "mqtt-wss") + " (request "
                            + (ws.request() == null ? "not a WebSocket GET" : "sent, not answered with 101")
                            + "; tcp.stream " + connection.index() + ")");
                }
                ws = null;
            }
        }

        DnsTcpFramer dnsFramer(boolean fromClient) {
            if (fromClient) {
                if (dnsFromClient == null) {
                    dnsFromClient = new DnsTcpFramer(framerSink(true));
                }
                return dnsFromClient;
            }
            if (dnsFromServer == null) {
                dnsFromServer = new DnsTcpFramer(framerSink(false));
            }
            return dnsFromServer;
        }

        private DnsTcpFramer.Sink framerSink(boolean fromClient) {
            Endpoint src = fromClient ? connection.client() : connection.server();
            Endpoint dst = fromClient ? connection.server() : connection.client();
            return new DnsTcpFramer.Sink() {
                @Override
                public void message(ByteView message, long firstFrame, long lastFrame, long timestampNanos) {
                    dns(new MessageContext(firstFrame, lastFrame, timestampNanos, timestampNanos, "tcp",
                            connection.index(), src, dst), message);
                }

                @Override
                public void lost(long frame, boolean inStep, String detail) {
                    diagnostics.report(frame, Layer.DNS, inStep ? "message_lost_to_gap" : "framing_lost", detail);
                }
            };
        }
    }

    @Override
    public void onOpen(TcpConnection connection) {
        Stream s = new Stream(connection);
        s.protocol = bindings.tcp(connection.client().port(), connection.server().port());
        s.decided = s.protocol != null || !bindings.heuristics().mqtt();
        if (s.protocol == Protocol.MQTT_WS) {
            // MQTT only once the upgrade succeeds; the MQTT heuristic may still find a plain CONNECT instead
            int cp = connection.client().port();
            int sp = connection.server().port();
            s.startWebSocket(bindings.userTcp(cp, sp) == Protocol.MQTT_WS);
            s.protocol = null;
            s.decided = !bindings.heuristics().mqtt();
        }
        boolean wssPort = s.protocol == Protocol.MQTT_WSS;
        boolean wssUser = bindings.userTcp(connection.client().port(), connection.server().port()) == Protocol.MQTT_WSS;
        if (wssPort) {
            s.protocol = Protocol.TLS;
        }
        if (s.protocol == Protocol.TLS) {
            tlsConnections++;
            s.tls = new TlsSession(tlsSecrets, new TlsSession.Listener() {
                @Override
                public void plaintext(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
                    if (!s.innerDecided) {
                        s.innerDecided = true;
                        Protocol p = innerProtocol(connection, s.tls, wssPort, fromClient, b, off, len);
                        s.transport = "tls"; // what the decrypted bytes travelled in (the transport column)
                        if (p == Protocol.MQTT_WS) {
                            s.startWebSocket(wssUser); // s.inner is set once the upgrade succeeds
                        } else if (p == Protocol.MQTT) {
                            s.inner = p;
                            s.mqtt = new MqttStreamDecoder(s, limits.mqtt(), keepSecrets);
                        }
                    }
                    if (s.ws != null) {
                        s.ws.feed(fromClient, b, off, len, frame, nanos);
                        s.checkWebSocket(frame);
                    } else {
                        deliver(s, s.inner, fromClient, b, off, len, frame, nanos);
                    }
                }

                @Override
                public void problem(long frame, String reason, String detail) {
                    diagnostics.report(frame, Layer.TLS, reason, detail + " (tcp.stream " + connection.index() + ")");
                }
            });
        }
        if (s.protocol == Protocol.MQTT) {
            s.mqtt = new MqttStreamDecoder(s, limits.mqtt(), keepSecrets);
        }
        connection.attachment = s;
    }

    @Override
    public void onData(TcpConnection connection, boolean fromClient, byte[] data, int offset, int length, long frame,
                       long nanos) {
        if (!(connection.attachment instanceof Stream s)) {
            return;
        }
        if (!s.decided && !decide(s, fromClient, data, offset, length, frame, nanos)) {
            return;
        }
        if (s.closed) {
            return;
        }
        if (s.tls != null) {
            s.tls.feed(fromClient, data, offset, length, frame, nanos); // decrypted bytes: the listener in onOpen
        } else if (s.ws != null) {
            s.ws.feed(fromClient, data, offset, length, frame, nanos);
            s.checkWebSocket(frame);
        } else {
            deliver(s, s.protocol, fromClient, data, offset, length, frame, nanos);
        }
    }

    /**
     * Hands stream bytes (a plain TCP stream's, or a TLS connection's decrypted application data) to the
     * decoder of {@code p}; nothing when no decoder takes them.
     */
    private void deliver(Stream s, Protocol p, boolean fromClient, byte[] data, int offset, int length, long frame,
                         long nanos) {
        if (p == Protocol.MQTT) {
            s.mqtt.feed(fromClient, data, offset, length, frame, nanos);
        } else if (p == Protocol.DNS) {
            s.dnsFramer(fromClient).feed(data, offset, length, frame, nanos);
        }
    }

    /** Chunks of a mid-stream connection kept, at most, while the MQTT heuristic cannot tell ({@link #decide}). */
    static final int MAX_EARLY_CHUNKS = 16;

    /**
     * The MQTT heuristic (docs/cli.md) for a connection on no bound port: MQTT when the client's stream starts with
     * a valid CONNECT; for a connection picked up mid-stream (no handshake), when a chunk of either direction is
     * whole MQTT packets with content ({@link MqttDecoder#midStream}). Chunks that are whole packets too short to
     * tell (PINGREQ, acknowledgements) are kept, at most {@link #MAX_EARLY_CHUNKS}, and replayed once the
     * connection is found to be MQTT.
     *
     * @return true when this chunk is to be dissected now (the connection is decided), false when it was kept
     *     or the connection is not MQTT
     */
    private boolean decide(Stream s, boolean fromClient, byte[] data, int offset, int length, long frame,
                           long nanos) {
        TcpConnection connection = s.connection;
        ByteView chunk = ByteView.of(data, offset, length);
        if (fromClient && s.early == null && connection.bytes(true) == length && MqttDecoder.looksLikeConnect(chunk)) {
            startMqtt(s);
            return true;
        }
        if (s.ws != null) {
            // a port bound to mqtt-ws: not a plain CONNECT, so the WebSocket layer reads the stream
            s.decided = true;
            return true;
        }
        if (fromClient && s.early == null && connection.bytes(true) == length
                && WsConnection.looksLikeRequestStart(data, offset, length)) {
            // MQTT over WebSockets on any port when the client starts with an HTTP GET (the WebSocket layer then
            // needs Upgrade: websocket, the mqtt subprotocol and a 101 answer)
            s.decided = true;
            s.startWebSocket(false);
            return true;
        }
        MqttDecoder.MidStream seen = connection.handshakeSeen() ? MqttDecoder.MidStream.NOT_MQTT
                : MqttDecoder.midStream(chunk, limits.mqtt());
        if (seen == MqttDecoder.MidStream.PLAUSIBLE && (s.early == null || s.early.size() < MAX_EARLY_CHUNKS)) {
            if (s.early == null) {
                s.early = new ArrayList<>();
            }
            s.early.add(new EarlyChunk(fromClient, Arrays.copyOfRange(data, offset, offset + length), frame, nanos));
            return false;
        }
        s.decided = true;
        List<EarlyChunk> early = s.early;
        s.early = null;
        if (seen != MqttDecoder.MidStream.MQTT) {
            return false;
        }
        startMqtt(s);
        if (early != null) {
            for (EarlyChunk c : early) {
                s.mqtt.feed(c.fromClient(), c.bytes(), 0, c.bytes().length, c.frame(), c.nanos());
            }
        }
        return true;
    }

    private void startMqtt(Stream s) {
        s.decided = true;
        s.protocol = Protocol.MQTT;
        s.mqtt = new MqttStreamDecoder(s, limits.mqtt(), keepSecrets);
        s.ws = null;
    }

    /** Stream bytes of a connection not yet recognised, kept by {@link #decide} to be replayed. */
    private record EarlyChunk(boolean fromClient, byte[] bytes, long frame, long nanos) {}

    @Override
    public void onGap(TcpConnection connection, boolean fromClient, long bytes, long frame) {
        if (connection.attachment instanceof Stream s && !s.decided) {
            // the heuristic does not look across missing bytes
            s.decided = true;
            s.early = null;
        }
        if (connection.attachment instanceof Stream s && !s.closed) {
            if (s.tls != null) {
                s.tls.gap(fromClient, bytes, frame); // TLS framing is lost: nothing more is decrypted
            } else if (s.ws != null) {
                s.ws.gap(fromClient, bytes, frame);
                s.checkWebSocket(frame);
            } else if (s.mqtt != null) {
                s.mqtt.gap(fromClient, bytes, frame);
            } else if (s.protocol == Protocol.DNS) {
                s.dnsFramer(fromClient).gap(bytes, frame);
            }
        }
    }

    @Override
    public void onClose(TcpConnection connection) {
        if (connection.attachment instanceof Stream s) {
            if (s.ws != null) {
                s.ws.close();
            }
            if (s.mqtt != null) {
                s.mqtt.close();
                sink.mqttEnd(connection);
            }
            // The reassembler delivers nothing after close, but keeps the connection (to recognise late
            // duplicates) up to its connection limit: drop the decoders' buffers, keep the protocol.
            if (s.tls != null) {
                s.tls.close();
            }
            s.mqtt = null;
            s.ws = null;
            s.dnsFromClient = null;
            s.dnsFromServer = null;
            s.closed = true;
        }
    }
}
