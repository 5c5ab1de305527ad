package org.iotpcap.dissect.websocket;

import org.iotpcap.bytes.Limits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One TCP connection that may carry MQTT over WebSockets (MQTT 3.1.1 §6, MQTT 5.0 §6, RFC 6455): reads the
 * opening handshake (§4), the client's HTTP GET with {@code Upgrade: websocket} and the server's answer, then
 * hands each direction to a {@link WsFrameDecoder}. The payload of its data frames goes to the {@link Sink}.
 *
 * <p>Recognition: the client's first bytes are a GET whose {@code Upgrade} header holds {@code websocket};
 * unless {@code anySubprotocol}, its {@code Sec-WebSocket-Protocol} must offer {@code mqtt} (MQTT 3.1.1 and
 * 5.0, [MQTT-6.0.0-4]) or {@code mqttv3.1} (the MQTT 3.1 name) and the server's answer must be 101 Switching
 * Protocols choosing one of them, or choosing none (servers that echo no subprotocol). {@code anySubprotocol}
 * (a port the user bound with {@code mqtt-ws}) accepts any 101 answer to a WebSocket upgrade. Anything else
 * ends in {@link State#NOT_WEBSOCKET} and nothing more is decoded.
 *
 * <p>Client bytes that arrive after the request and before the server's answer (RFC 6455 §4.1 has the client
 * wait, but the capture may order them so) are held, with their frames, up to
 * {@link Limits.WebSocket#maxHandshakeBytes()}, and decoded once the answer is 101. Stream offsets in reports count
 * from the direction's first TCP byte, the handshake included.
 *
 * <p>Not thread-safe; one instance per connection.
 */
public final class WsConnection {
    /** Receives the unwrapped bytes and the problems of both directions. */
    public interface Sink {
        /** The server accepted the upgrade in {@code frame}; {@code subprotocol} is null when it named none. */
        void upgraded(String subprotocol, long frame);

        /** See {@link WsFrameSink#payload}. */
        void payload(boolean fromClient, byte[] b, int off, int len, long frame, long nanos);

        /** See {@link WsFrameSink#problem}. */
        void problem(boolean fromClient, WsReason reason, long frame, long offset, String detail);
    }

    /** Where the connection stands. */
    public enum State { REQUEST, RESPONSE, OPEN, NOT_WEBSOCKET }

    /** The subprotocol names MQTT uses (MQTT 3.1.1 and 5.0 §6: "mqtt"; MQTT 3.1 clients: "mqttv3.1"). */
    public static final Set<String> MQTT_SUBPROTOCOLS = Set.of("mqtt", "mqttv3.1");

    private static final byte[] GET = {'G', 'E', 'T', ' '};
    private static final byte[] HTTP = {'H', 'T', 'T', 'P', '/'};
    private final Sink sink;
    private final Limits.WebSocket limits;
    private final boolean anySubprotocol;
    private State state = State.REQUEST;
    private byte[] head = new byte[0];
    private int headLen;
    private int lastTake;
    private HttpHead request;
    private HttpHead response;
    private String subprotocol;
    private long clientPosition;
    private long serverPosition;
    private final List<Held> held = new ArrayList<>();
    private int heldBytes;
    private WsFrameDecoder client;
    private WsFrameDecoder server;

    private record Held(byte[] bytes, long frame, long nanos) {}

    public WsConnection(Sink sink, Limits.WebSocket limits, boolean anySubprotocol) {
        this.sink = sink;
        this.limits = limits;
        this.anySubprotocol = anySubprotocol;
    }

    public State state() {
        return state;
    }

    /** The client's request head once read, or null. */
    public HttpHead request() {
        return request;
    }

    /** The server's response head once read, or null. */
    public HttpHead response() {
        return response;
    }

    /** The subprotocol the server chose (null: none named, or not open). */
    public String subprotocol() {
        return subprotocol;
    }

    /** The frame decoder of a direction, once open (null before). */
    public WsFrameDecoder decoder(boolean fromClient) {
        return fromClient ? client : server;
    }

    /** True when {@code b[off..off+len)} can start a WebSocket opening handshake: "GET " or a prefix of it. */
    public static boolean looksLikeRequestStart(byte[] b, int off, int len) {
        return startsWith(b, off, len, GET);
    }

    private static boolean startsWith(byte[] b, int off, int len, byte[] prefix) {
        int n = Math.min(len, prefix.length);
        return n > 0 && Arrays.equals(b, off, off + n, prefix, 0, n);
    }

    /** In-order stream bytes of one direction, carried by {@code frame} at time {@code nanos}. */
    public void feed(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
        if (len == 0) {
            return;
        }
        switch (state) {
            case OPEN -> (fromClient ? client : server).feed(b, off, len, frame, nanos);
            case REQUEST -> {
                if (!fromClient) {
                    state = State.NOT_WEBSOCKET;   // the server spoke first: not an HTTP upgrade
                    return;
                }
                readRequest(b, off, len, frame, nanos);
            }
            case RESPONSE -> {
                if (fromClient) {
                    hold(b, off, len, frame, nanos);
                } else {
                    readResponse(b, off, len, frame, nanos);
                }
            }
            case NOT_WEBSOCKET -> { }
        }
    }

    private void readRequest(byte[] b, int off, int len, long frame, long nanos) {
        WsStep<HttpHead> r = accumulate(b, off, len);
        if (r instanceof WsStep.NeedMore<HttpHead>) {
            clientPosition += len;
            if (!startsWith(head, 0, headLen, GET)) {
                state = State.NOT_WEBSOCKET;
            }
            return;
        }
        if (!(r instanceof WsStep.Done<HttpHead> done)) {
            state = State.NOT_WEBSOCKET;
            return;
        }
        HttpHead h = done.value();
        boolean offered = anySubprotocol || h.tokens("Sec-WebSocket-Protocol").stream()
                .anyMatch(p -> MQTT_SUBPROTOCOLS.contains(p.toLowerCase(Locale.ROOT)));
        if (!h.method().equals("GET") || !h.hasToken("Upgrade", "websocket") || !offered) {
            state = State.NOT_WEBSOCKET;
            return;
        }
        request = h;
        state = State.RESPONSE;
        int here = consumedHere(done);
        clientPosition += here;
        head = new byte[0];
        headLen = 0;
        if (here < len) {
            hold(b, off + here, len - here, frame, nanos);
        }
    }

    /** Bytes of the last chunk fed to {@link #accumulate} that the head took. */
    private int consumedHere(WsStep.Done<HttpHead> done) {
        return done.consumed() - (headLen - lastTake);
    }

    private void readResponse(byte[] b, int off, int len, long frame, long nanos) {
        WsStep<HttpHead> r = accumulate(b, off, len);
        if (r instanceof WsStep.NeedMore<HttpHead>) {
            serverPosition += len;
            if (!startsWith(head, 0, headLen, HTTP)) {
                state = State.NOT_WEBSOCKET;
            }
            return;
        }
        if (!(r instanceof WsStep.Done<HttpHead> done) || done.value().status() != 101) {
            state = State.NOT_WEBSOCKET;
            held.clear();
            return;
        }
        HttpHead h = done.value();
        String chosen = h.header("Sec-WebSocket-Protocol");
        if (!anySubprotocol && chosen != null && !MQTT_SUBPROTOCOLS.contains(chosen.strip().toLowerCase(Locale.ROOT))) {
            state = State.NOT_WEBSOCKET;
            held.clear();
            return;
        }
        response = h;
        subprotocol = chosen == null ? null : chosen.strip();
        int consumedHere = consumedHere(done);
        long serverStart = serverPosition + consumedHere;
        head = null;
        headLen = 0;
        state = State.OPEN;
        // the held client bytes are already counted in clientPosition: the client's frames start before them
        client = new WsFrameDecoder(direction(true), limits, Boolean.TRUE, clientPosition - heldBytes);
        server = new WsFrameDecoder(direction(false), limits, Boolean.FALSE, serverStart);
        sink.upgraded(subprotocol, frame);
        if (consumedHere < len) {
            server.feed(b, off + consumedHere, len - consumedHere, frame, nanos);
        }
        for (Held c : held) {
            client.feed(c.bytes(), 0, c.bytes().length, c.frame(), c.nanos());
        }
        held.clear();
    }

    private WsFrameSink direction(boolean fromClient) {
        return new WsFrameSink() {
            @Override
            public void payload(byte[] b, int off, int len, long frame, long nanos) {
                sink.payload(fromClient, b, off, len, frame, nanos);
            }

            @Override
            public void problem(WsReason reason, long frame, long offset, String detail) {
                sink.problem(fromClient, reason, frame, offset, detail);
            }
        };
    }

    /** Appends the chunk to the head buffer (bounded) and reads the head from its start. */
    private WsStep<HttpHead> accumulate(byte[] b, int off, int len) {
        int take = Math.min(len, limits.maxHandshakeBytes() - headLen);
        if (headLen + take > head.length) {
            head = Arrays.copyOf(head, Math.min(limits.maxHandshakeBytes(), Math.max(2 * head.length, headLen + take)));
        }
        System.arraycopy(b, off, head, headLen, take);
        headLen += take;
        lastTake = take;
        return HttpHead.parse(head, 0, headLen, limits.maxHandshakeBytes());
    }

    private void hold(byte[] b, int off, int len, long frame, long nanos) {
        if (heldBytes + len > limits.maxHandshakeBytes()) {
            sink.problem(true, WsReason.HANDSHAKE_TOO_LARGE, frame, clientPosition, "client bytes held while the"
                    + " server's answer is awaited exceed limit (" + limits.maxHandshakeBytes() + ")");
            state = State.NOT_WEBSOCKET;
            held.clear();
            return;
        }
        held.add(new Held(Arrays.copyOfRange(b, off, off + len), frame, nanos));
        heldBytes += len;
        clientPosition += len;
    }

    /** {@code bytes} bytes of one direction were never seen. */
    public void gap(boolean fromClient, long bytes, long frame) {
        if (state == State.OPEN) {
            (fromClient ? client : server).gap(bytes, frame);
        } else if (state != State.NOT_WEBSOCKET) {
            state = State.NOT_WEBSOCKET;   // a handshake with a hole cannot be read
            held.clear();
        }
    }

    /** End of the connection: an incomplete frame left in a direction is reported. */
    public void close() {
        if (state == State.OPEN) {
            client.close();
            server.close();
        }
        held.clear();
    }
}
