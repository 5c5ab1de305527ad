package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import org.iotpcap.bytes.Limits;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.coap.CoapBlock;
import org.iotpcap.dissect.coap.CoapMessage;
import org.iotpcap.dissect.coap.CoapMethod;
import org.iotpcap.dissect.coap.CoapOption;
import org.iotpcap.dissect.coap.CoapType;
import org.iotpcap.semantic.tables.CoapMessages;
import org.iotpcap.table.RowWriter;
import org.iotpcap.table.TableSink;
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

    /**
     * One open exchange: what its coap_exchanges row and the block-wise transfers need of the request and the
     * response, not the messages themselves (an exchange stays open for {@link #IDLE_NANOS} of capture time after
     * its last message, so on a large capture up to {@code coapMaxOpenExchanges} of them are held at once).
     */
    private static final class Exchange {
        final Endpoint client;
        final Endpoint server;
        final int mid;
        final String token;
        final CoapType type;
        final CoapMethod method;
        final String code;
        final String path;
        final String query;
        final String uriHost;
        final Integer observe;
        final CoapBlock block1;
        final long firstFrame;
        final long firstNanos;
        long lastFrame;
        long lastNanos;
        int requests = 1;
        boolean answered;
        CoapType responseType;
        String responseCode;
        int responseClass;
        int responseMid;
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
            this.type = request.type();
            this.method = request.method();
            this.code = request.codeText();
            this.path = request.uriPath();
            this.query = request.uriQuery();
            this.uriHost = request.uriHost();
            this.observe = request.observe();
            this.block1 = request.block1();
            this.firstFrame = frame;
            this.firstNanos = nanos;
            this.lastFrame = frame;
            this.lastNanos = nanos;
        }
    }

    /** equals and hashCode written out, as in {@link org.iotpcap.ip.IpAddress}. */
    private record MidKey(Endpoint client, int mid) {
        @Override
        public boolean equals(Object o) {
            return o instanceof MidKey k && k.mid == mid && Objects.equals(k.client, client);
        }

        @Override
        public int hashCode() {
            return Objects.hashCode(client) * 31 + mid;
        }
    }

    private final RowWriter exchanges;
    private final RowWriter messages;
    private final CoapObservations observations;
    private final CoapTransfers transfers;
    /** Open exchanges by (client, MID), in order of last activity. */
    private final LinkedHashMap<MidKey, Exchange> byMid = new LinkedHashMap<>(1024, 0.75f, true);
    /** The latest unanswered exchange per (client, server, token), for separate responses. */
    private final Map<TokenKey, Exchange> byToken = new HashMap<>();

    private final int maxOpen;
    private final Diagnostics diagnostics;
    private final RowWriter optionRows;
    private long evicted;

    CoapExchanges(TableSink sink, Limits.Semantic limits, Diagnostics diagnostics) {
        this.maxOpen = limits.coapMaxOpenExchanges();
        this.diagnostics = diagnostics;
        this.exchanges = sink.writer(org.iotpcap.semantic.tables.CoapExchanges.T);
        this.messages = sink.writer(CoapMessages.T);
        this.optionRows = sink.writer(org.iotpcap.semantic.tables.CoapOptions.T);
        this.observations = new CoapObservations(sink);
        this.transfers = new CoapTransfers(sink, limits, diagnostics);
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
        if (byMid.size() > maxOpen) {
            Iterator<Map.Entry<MidKey, Exchange>> it = byMid.entrySet().iterator();
            Map.Entry<MidKey, Exchange> oldest = it.next();
            it.remove();
            forget(oldest.getValue());
            if (evicted++ == 0) {
                diagnostics.report(c.frame(), Layer.SEMANTIC, "coap_exchange_limit", "open CoAP exchanges ("
                        + (maxOpen + 1) + ") exceed limit (" + maxOpen + "): the least recently active is written"
                        + " before its response or retransmissions could be matched");
            }
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
        if (e == null || e.answered) {
            return;
        }
        transfers.response(c, e.method, e.path, e.block1, m);
        e.answered = true;
        e.responseType = m.type();
        e.responseCode = m.codeText();
        e.responseClass = m.codeClass();
        e.responseMid = m.messageId();
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
        var t = org.iotpcap.semantic.tables.CoapExchanges.T;
        RowWriter w = exchanges.begin()
                .set(t.client, e.client.address().toString()).set(t.clientPort, e.client.port())
                .set(t.server, e.server.address().toString()).set(t.serverPort, e.server.port())
                .set(t.mid, e.mid).set(t.token, e.token).set(t.type, e.type.name())
                .set(t.method, e.method == null ? null : e.method.text()).set(t.code, e.code)
                .set(t.path, e.path).set(t.query, e.query).set(t.uriHost, e.uriHost)
                .set(t.observe, e.observe == null ? null : (long) e.observe)
                .set(t.firstFrame, e.firstFrame).set(t.lastFrame, e.lastFrame).set(t.firstNs, e.firstNanos)
                .set(t.requests, e.requests).set(t.retransmissions, e.requests - 1)
                .set(t.answered, e.answered).set(t.responseKind, e.responseKind)
                .set(t.acked, e.ackFrame != 0).set(t.reset, e.reset);
        if (e.answered) {
            w.set(t.responseFrame, e.responseFrame).set(t.responseNs, e.responseNanos)
                    .set(t.responseType, e.responseType.name()).set(t.responseCode, e.responseCode)
                    .set(t.responseClass, e.responseClass).set(t.responseMid, e.responseMid)
                    .set(t.rttMs, (e.responseNanos - e.firstNanos) / 1e6);
        }
        if (e.ackFrame != 0) {
            w.set(t.ackFrame, e.ackFrame);
        }
        w.end();
    }

    private void writeMessage(MessageContext c, CoapMessage m) {
        writeOptions(c, m);
        if (!messages.enabled()) {
            return; // nobody reads coap_messages: its text columns are not worth making
        }
        CoapMessages t = CoapMessages.T;
        CoapBlock b1 = m.block1();
        CoapBlock b2 = m.block2();
        String kind = m.isRequest() ? "request" : m.isResponse() ? "response" : m.isEmpty() ? "empty" : "other";
        ByteView payload = m.payload();
        RowWriter w = messages.begin().set(t.frame, c.frame()).set(t.timeNs, c.nanos())
                .set(t.src, c.src().address().toString()).set(t.srcPort, c.src().port())
                .set(t.dst, c.dst().address().toString()).set(t.dstPort, c.dst().port())
                .set(t.type, m.type().name()).set(t.code, m.codeText()).set(t.codeClass, m.codeClass())
                .set(t.codeDetail, m.codeDetail()).set(t.method, m.method() == null ? null : m.method().text())
                .set(t.kind, kind).set(t.mid, m.messageId()).set(t.token, m.token()).set(t.tokenLength, m.tokenLength())
                .set(t.uriHost, m.uriHost()).set(t.uriPort, m.uriPort()).set(t.path, m.uriPath())
                .set(t.query, m.uriQuery()).set(t.contentFormat, m.contentFormat()).set(t.accept, m.accept())
                .set(t.maxAge, m.maxAge()).set(t.observe, m.observe() == null ? null : (long) m.observe())
                .set(t.size1, m.size1()).set(t.size2, m.size2())
                .set(t.etag, messages.wants(t.etag) ? etagText(m) : null).set(t.locationPath, m.locationPath())
                .set(t.locationQuery, m.locationQuery()).set(t.proxyUri, proxyUri(m)).set(t.noResponse, m.noResponse())
                .set(t.options, messages.wants(t.options) ? optionsText(m) : null)
                .set(t.payloadLength, payload.length()).set(t.payload, payload)
                .set(t.payloadText, messages.wants(t.payloadText) ? m.payloadText() : null);
        if (b1 != null) {
            w.set(t.block1Num, (long) b1.num()).set(t.block1More, b1.more()).set(t.block1Size, b1.size());
        }
        if (b2 != null) {
            w.set(t.block2Num, (long) b2.num()).set(t.block2More, b2.more()).set(t.block2Size, b2.size());
        }
        w.end();
    }

    /** One coap_options row per option, in wire order, its value in the column of its registered format. */
    private void writeOptions(MessageContext c, CoapMessage m) {
        if (!optionRows.enabled()) {
            return;
        }
        org.iotpcap.semantic.tables.CoapOptions t = org.iotpcap.semantic.tables.CoapOptions.T;
        int position = 0;
        for (CoapOption o : m.options()) {
            int n = o.number();
            optionRows.begin().set(t.frame, c.frame()).set(t.position, position++).set(t.number, n)
                    .set(t.name, o.name()).set(t.format, org.iotpcap.bytes.EnumLabels.lower(o.format()))
                    .set(t.length, o.length()).set(t.uintValue, o.uint()).set(t.stringValue, o.text())
                    .set(t.rawValue, o.raw()).set(t.critical, (n & 1) != 0).set(t.unsafe, (n & 2) != 0)
                    .set(t.noCacheKey, (n & 0x1e) == 0x1c).end();
        }
    }

    /** The options column: each option as name=value, in wire order. */
    private static String optionsText(CoapMessage m) {
        StringBuilder opts = new StringBuilder();
        for (CoapOption o : m.options()) {
            opts.append(opts.isEmpty() ? "" : "; ").append(o.name() != null ? o.name() : "option " + o.number())
                    .append('=').append(o.value());
        }
        return opts.toString();
    }

    /** The etag column: the ETags, comma-separated; null without one. */
    private static String etagText(CoapMessage m) {
        List<String> etags = m.etags();
        return etags.isEmpty() ? null : String.join(",", etags);
    }

    private static String proxyUri(CoapMessage m) {
        CoapOption o = m.option(35);
        return o == null ? null : o.text();
    }
}
