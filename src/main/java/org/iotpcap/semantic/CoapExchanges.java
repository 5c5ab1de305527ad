package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.coap.CoapBlock;
import org.iotpcap.dissect.coap.CoapMessage;
import org.iotpcap.dissect.coap.CoapOption;
import org.iotpcap.dissect.coap.CoapType;
import org.iotpcap.transport.Endpoint;

/**
 * CoAP messages and request/response exchanges (RFC 7252 sections 4 and 5).
 *
 * <p>A request is identified by (client endpoint, Message ID): the same key with the same token again is a
 * retransmission and counts once (a new token under the same key starts a new request, as after Message ID
 * reuse). Its response is the first message from the request's server endpoint to the client carrying a
 * response code (2.xx to 5.xx): piggybacked in an ACK with the request's Message ID and token, or a separate
 * response (CON or NON) with the request's token. An empty ACK with the Message ID marks the request
 * acknowledged; a RST with it, reset. Exchanges are written when the capture ends or when no message has
 * touched them for {@link #IDLE_NANOS} of capture time (RFC 7252's EXCHANGE_LIFETIME is 247 s).
 */
final class CoapExchanges {
    static final long IDLE_NANOS = 300_000_000_000L;
    static final int MAX_OPEN = 1_000_000;

    private static final class Exchange {
        final Endpoint client;
        final Endpoint server;
        final int mid;
        final String token;
        final CoapMessage request;
        final long firstFrame;
        final long firstNanos;
        long lastFrame;
        long lastNanos;
        int requests = 1;
        CoapMessage response;
        long responseFrame;
        long responseNanos;
        String responseKind;
        long ackFrame;
        boolean reset;

        Exchange(Endpoint client, Endpoint server, CoapMessage request, long frame, long nanos) {
            this.client = client;
            this.server = server;
            this.mid = request.messageId();
            this.token = request.token();
            this.request = request;
            this.firstFrame = frame;
            this.firstNanos = nanos;
            this.lastFrame = frame;
            this.lastNanos = nanos;
        }
    }

    private record MidKey(Endpoint client, int mid) {}

    private record TokenKey(Endpoint client, Endpoint server, String token) {}

    private final ModelSink sink;
    private final CoapObservations observations;
    private final CoapTransfers transfers;
    /** Open exchanges by (client, MID), in order of last activity. */
    private final LinkedHashMap<MidKey, Exchange> byMid = new LinkedHashMap<>(1024, 0.75f, true);
    /** The latest unanswered exchange per (client, server, token), for separate responses. */
    private final Map<TokenKey, Exchange> byToken = new HashMap<>();

    CoapExchanges(ModelSink sink) {
        this.sink = sink;
        this.observations = new CoapObservations(sink);
        this.transfers = new CoapTransfers(sink);
    }

    void message(MessageContext c, CoapMessage m) {
        writeMessage(c, m);
        expire(c.nanos());
        if (m.isRequest() && (m.type() == CoapType.CON || m.type() == CoapType.NON)) {
            request(c, m);
        } else if (m.isResponse()) {
            response(c, m);
        } else if (m.isEmpty() && (m.type() == CoapType.ACK || m.type() == CoapType.RST)) {
            Exchange e = byMid.get(new MidKey(c.dst(), m.messageId()));
            if (e != null && e.server.equals(c.src())) {
                if (m.type() == CoapType.ACK && e.ackFrame == 0) {
                    e.ackFrame = c.frame();
                } else if (m.type() == CoapType.RST) {
                    e.reset = true;
                }
            }
        }
    }

    private void request(MessageContext c, CoapMessage m) {
        MidKey key = new MidKey(c.src(), m.messageId());
        Exchange e = byMid.get(key);
        if (e != null && e.token.equals(m.token()) && e.server.equals(c.dst())) {
            e.requests++;
            e.lastFrame = c.frame();
            e.lastNanos = c.nanos();
            return;
        }
        if (e != null) {
            close(key, e);
        }
        e = new Exchange(c.src(), c.dst(), m, c.frame(), c.nanos());
        observations.request(c, m);
        transfers.request(c, m);
        byMid.put(key, e);
        byToken.put(new TokenKey(c.src(), c.dst(), m.token()), e);
        if (byMid.size() > MAX_OPEN) {
            Iterator<Map.Entry<MidKey, Exchange>> it = byMid.entrySet().iterator();
            Map.Entry<MidKey, Exchange> oldest = it.next();
            it.remove();
            forget(oldest.getValue());
        }
    }

    private void response(MessageContext c, CoapMessage m) {
        observations.response(c, m);
        Exchange e = null;
        String kind = null;
        if (m.type() == CoapType.ACK) {
            Exchange byId = byMid.get(new MidKey(c.dst(), m.messageId()));
            if (byId != null && byId.server.equals(c.src()) && byId.token.equals(m.token())) {
                e = byId;
                kind = "piggybacked";
                if (byId.ackFrame == 0) {
                    byId.ackFrame = c.frame();
                }
            }
        } else {
            e = byToken.get(new TokenKey(c.dst(), c.src(), m.token()));
            kind = "separate";
        }
        if (e == null || e.response != null) {
            return;
        }
        transfers.response(c, e.request, m);
        e.response = m;
        e.responseFrame = c.frame();
        e.responseNanos = c.nanos();
        e.responseKind = kind;
        e.lastNanos = Math.max(e.lastNanos, c.nanos());
        byToken.remove(new TokenKey(e.client, e.server, e.token), e);
    }

    private void expire(long nanos) {
        Iterator<Map.Entry<MidKey, Exchange>> it = byMid.entrySet().iterator();
        while (it.hasNext()) {
            Exchange e = it.next().getValue();
            if (nanos - e.lastNanos <= IDLE_NANOS) {
                break;
            }
            it.remove();
            forget(e);
        }
    }

    private void close(MidKey key, Exchange e) {
        byMid.remove(key);
        forget(e);
    }

    private void forget(Exchange e) {
        byToken.remove(new TokenKey(e.client, e.server, e.token), e);
        write(e);
    }

    void finish() {
        transfers.finish();
        List<Exchange> open = new ArrayList<>(byMid.values());
        open.sort((a, b) -> Long.compare(a.firstFrame, b.firstFrame));
        byMid.clear();
        byToken.clear();
        for (Exchange e : open) {
            write(e);
        }
    }

    private void write(Exchange e) {
        CoapMessage q = e.request;
        CoapMessage r = e.response;
        sink.row(Table.COAP_EXCHANGES,
                e.client.address().toString(), e.client.port(), e.server.address().toString(), e.server.port(),
                e.mid, e.token, q.type().name(), q.method() == null ? null : q.method().text(), q.codeText(),
                q.uriPath(), q.uriQuery(), q.uriHost(), q.observe() == null ? null : (long) q.observe(),
                e.firstFrame, e.lastFrame, e.firstNanos, e.requests, e.requests - 1,
                r != null, e.responseKind, r == null ? null : e.responseFrame, r == null ? null : e.responseNanos,
                r == null ? null : r.type().name(), r == null ? null : r.codeText(), r == null ? null : r.codeClass(),
                r == null ? null : r.messageId(),
                r == null ? null : (e.responseNanos - e.firstNanos) / 1e6,
                e.ackFrame != 0, e.ackFrame == 0 ? null : e.ackFrame, e.reset);
    }

    private void writeMessage(MessageContext c, CoapMessage m) {
        CoapBlock b1 = m.block1();
        CoapBlock b2 = m.block2();
        String kind = m.isRequest() ? "request" : m.isResponse() ? "response" : m.isEmpty() ? "empty" : "other";
        StringBuilder opts = new StringBuilder();
        for (CoapOption o : m.options()) {
            opts.append(opts.isEmpty() ? "" : "; ").append(o.name() != null ? o.name() : "option " + o.number())
                    .append('=').append(o.value());
        }
        List<String> etags = m.etags();
        byte[] payload = m.payload();
        sink.row(Table.COAP_MESSAGES, c.frame(), c.nanos(), c.src().address().toString(), c.src().port(),
                c.dst().address().toString(), c.dst().port(), m.type().name(), m.codeText(), m.codeClass(),
                m.codeDetail(), m.method() == null ? null : m.method().text(), kind, m.messageId(), m.token(),
                m.tokenLength(), m.uriHost(), m.uriPort(), m.uriPath(), m.uriQuery(), m.contentFormat(), m.accept(),
                m.maxAge(), m.observe() == null ? null : (long) m.observe(),
                b1 == null ? null : (long) b1.num(), b1 == null ? null : b1.more(), b1 == null ? null : b1.size(),
                b2 == null ? null : (long) b2.num(), b2 == null ? null : b2.more(), b2 == null ? null : b2.size(),
                m.size1(), m.size2(), etags.isEmpty() ? null : String.join(",", etags), m.locationPath(),
                m.locationQuery(), proxyUri(m), m.noResponse(), opts.toString(),
                payload.length, payload, m.payloadText());
    }

    private static String proxyUri(CoapMessage m) {
        CoapOption o = m.option(35);
        return o == null ? null : o.text();
    }
}
