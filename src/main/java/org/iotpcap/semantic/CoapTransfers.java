package org.iotpcap.semantic;

import java.io.ByteArrayOutputStream;
import java.util.LinkedHashMap;
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
import org.iotpcap.table.RowWriter;
import org.iotpcap.table.TableSink;
import org.iotpcap.transport.Endpoint;

/**
 * CoAP block-wise transfers (RFC 7959) reassembled into {@code coap_transfers}: Block2 (a response body in
 * blocks) and Block1 (a request body in blocks), per (client, server, resource, method, direction). Block 0
 * starts a transfer; blocks are appended in order (a repeated block number is ignored, a gap ends the transfer
 * as incomplete); the block with M clear completes it. Bodies are kept within {@link Limits.Semantic}'s
 * per-transfer and total byte limits (the byte count stays true), and at most so many transfers are open at once;
 * each limit reached is reported once ({@code semantic/coap_transfer_limit}, {@code semantic/coap_transfer_bytes_limit}).
 */
final class CoapTransfers {

    /** equals and hashCode written out, as in {@link org.iotpcap.ip.IpAddress}. */
    private record Key(Endpoint client, Endpoint server, String path, String method, String direction) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Objects.equals(k.client, client) && Objects.equals(k.server, server)
                    && Objects.equals(k.path, path)
                    && Objects.equals(k.method, method) && Objects.equals(k.direction, direction);
        }

        @Override
        public int hashCode() {
            return (((Objects.hashCode(client) * 31 + Objects.hashCode(server)) * 31 + Objects.hashCode(path)) * 31
                    + Objects.hashCode(method)) * 31 + Objects.hashCode(direction);
        }
    }

    private static final class Transfer {
        final long firstFrame;
        final long firstNanos;
        long lastFrame;
        long lastNanos;
        int blocks;
        long bytes;
        int nextNum;
        int size;
        String finalCode;
        final ByteArrayOutputStream body = new ByteArrayOutputStream();

        Transfer(long frame, long nanos) {
            this.firstFrame = frame;
            this.firstNanos = nanos;
        }
    }

    private final RowWriter transfers;
    /** In the order transfers began, which is the order {@link #finish} writes the unfinished ones in. */
    private final Map<Key, Transfer> open = new LinkedHashMap<>();
    private final Limits.Semantic limits;
    private final Diagnostics diagnostics;
    /** Body bytes kept by the open transfers. */
    private long held;
    private boolean openLimitReported;
    private boolean bytesLimitReported;

    CoapTransfers(TableSink sink, Limits.Semantic limits, Diagnostics diagnostics) {
        this.transfers = sink.writer(org.iotpcap.semantic.tables.CoapTransfers.T);
        this.limits = limits;
        this.diagnostics = diagnostics;
    }

    /** A (non-retransmitted) request: its Block1 option carries part of the request body. */
    void request(MessageContext c, CoapMessage m) {
        CoapBlock b = m.block1();
        if (b != null && m.method() != null) {
            block(new Key(c.src(), c.dst(), m.uriPath(), m.method().text(), "request"), b, m, c, null);
        }
    }

    /**
     * A response matched to its request (given by its method, Uri-Path and Block1 option): Block2 carries part of
     * the response body; Block1 acknowledges.
     */
    void response(MessageContext c, CoapMethod method, String path, CoapBlock block1, CoapMessage response) {
        if (method == null) {
            return;
        }
        CoapBlock b2 = response.block2();
        if (b2 != null) {
            block(new Key(c.dst(), c.src(), path, method.text(), "response"), b2, response, c, response.codeText());
        }
        if (block1 != null && !block1.more()) {
            Key k = new Key(c.dst(), c.src(), path, method.text(), "request");
            Transfer t = open.remove(k);
            if (t != null) {
                t.finalCode = response.codeText();
                write(k, t, true);
            }
        }
    }

    private void block(Key k, CoapBlock b, CoapMessage m, MessageContext c, String code) {
        Transfer t = open.get(k);
        if (b.num() == 0) {
            if (t != null) {
                write(k, open.remove(k), false);
            }
            if (open.size() >= limits.coapMaxOpenTransfers()) {
                if (!openLimitReported) {
                    openLimitReported = true;
                    diagnostics.report(c.frame(), Layer.SEMANTIC, "coap_transfer_limit", "open CoAP block-wise "
                            + "transfers (" + (open.size() + 1) + ") exceed limit (" + limits.coapMaxOpenTransfers()
                            + "): further transfers are not reassembled");
                }
                return;
            }
            t = new Transfer(c.frame(), c.nanos());
            t.size = b.size();
            open.put(k, t);
        }
        if (t == null || b.num() < t.nextNum) {
            return; // no block 0 seen, or a repeated block
        }
        if (b.num() > t.nextNum) {
            write(k, open.remove(k), false);
            return;
        }
        ByteView p = m.payload();
        t.blocks++;
        t.bytes += p.length();
        t.nextNum++;
        t.lastFrame = c.frame();
        t.lastNanos = c.nanos();
        if (t.body.size() + p.length() <= limits.coapMaxTransferBytes()) {
            if (held + p.length() <= limits.coapMaxHeldTransferBytes()) {
                t.body.write(p.array(), p.arrayOffset(), p.length());
                held += p.length();
            } else if (!bytesLimitReported) {
                bytesLimitReported = true;
                diagnostics.report(c.frame(), Layer.SEMANTIC, "coap_transfer_bytes_limit", "CoAP transfer bodies held ("
                        + (held + p.length()) + " bytes) exceed limit (" + limits.coapMaxHeldTransferBytes()
                        + "): further blocks are counted, not kept");
            }
        }
        if (!b.more() && k.direction().equals("response")) {
            t.finalCode = code;
            write(k, open.remove(k), true);
        }
    }

    void finish() {
        for (var e : open.entrySet()) {
            write(e.getKey(), e.getValue(), false);
        }
        open.clear();
    }

    private void write(Key k, Transfer t, boolean complete) {
        byte[] body = t.body.toByteArray();
        held -= body.length;
        String text = org.iotpcap.bytes.Utf8.isValid(body, 0, body.length) && body.length > 0
                ? new String(body, java.nio.charset.StandardCharsets.UTF_8) : null;
        var d = org.iotpcap.semantic.tables.CoapTransfers.T;
        transfers.begin().set(d.client, k.client().address().toString()).set(d.clientPort, k.client().port())
                .set(d.server, k.server().address().toString()).set(d.serverPort, k.server().port())
                .set(d.path, k.path()).set(d.direction, k.direction()).set(d.method, k.method())
                .set(d.blockSize, t.size).set(d.blocks, t.blocks).set(d.bytes, t.bytes).set(d.complete, complete)
                .set(d.firstFrame, t.firstFrame).set(d.lastFrame, t.lastFrame).set(d.firstNs, t.firstNanos)
                .set(d.lastNs, t.lastNanos).set(d.finalCode, t.finalCode).set(d.payload, body).set(d.payloadText, text)
                .end();
    }
}
