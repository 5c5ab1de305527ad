package org.iotpcap.dissect.tls;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;

/**
 * One TLS connection over TCP: frames both directions into records ({@link TlsRecordFramer}), reads the
 * handshake in the clear (ClientHello, ServerHello, TLS 1.2 Certificate) and, when {@link TlsSecrets} hold this
 * session's secrets, opens the protected records ({@link TlsRecordCipher}): the TLS 1.3 encrypted handshake
 * (EncryptedExtensions, Certificate) and the application data of both versions, which goes to the
 * {@link Listener} in order, with the frames it came in.
 *
 * <p>TLS 1.3 (RFC 8446 section 7): each direction opens with its handshake traffic secret after the ServerHello,
 * with traffic secret 0 after its Finished, and with the next traffic secret after each KeyUpdate it sends
 * (section 4.6.3: the sender changes its keys after the message; update_requested only asks the peer to send its
 * own KeyUpdate, which that direction then carries). TLS 1.2 (RFC 5246 section 7.1): each direction is protected
 * from its ChangeCipherSpec on. Not handled: 0-RTT early data, renegotiation, SSL 3.0 and TLS 1.0/1.1 CBC with
 * implicit IVs.
 *
 * <p>Bounds: one record per direction ({@link TlsRecordFramer#MAX_RECORD_BYTES}) and handshake messages up to
 * {@link #MAX_HANDSHAKE_BYTES}; a larger handshake message ends handshake parsing for its direction.
 */
public final class TlsSession implements TlsSummary {
    /** The largest handshake message reassembled (a certificate chain of a few certificates fits). */
    public static final int MAX_HANDSHAKE_BYTES = 1 << 18;

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int ALERT = 21;
    private static final int HANDSHAKE = 22;
    private static final int APPLICATION_DATA = 23;

    private static final int CLIENT_HELLO = 1;
    private static final int SERVER_HELLO = 2;
    private static final int ENCRYPTED_EXTENSIONS = 8;
    private static final int CERTIFICATE = 11;
    private static final int FINISHED = 20;
    private static final int KEY_UPDATE = 24;

    /** Receives the decrypted application data and the handshake messages that are malformed. */
    public interface Listener {
        void plaintext(boolean fromClient, byte[] b, int off, int len, long frame, long nanos);

        /** Something of this connection is malformed or undecodable; {@code detail} never holds key material. */
        void problem(long frame, String reason, String detail);
    }

    private final TlsSecrets secrets;
    private final Listener listener;
    private final Direction client = new Direction(true);
    private final Direction server = new Direction(false);

    private TlsClientHello clientHello;
    private TlsServerHello serverHello;
    private TlsCertificateInfo certificate;
    private String alpnSelected;
    private String notDecrypted;
    private boolean decrypted;
    private boolean tls13;
    private TlsCipherSuite suite;

    public TlsSession(TlsSecrets secrets, Listener listener) {
        this.secrets = secrets;
        this.listener = listener;
    }

    /** Per-direction state. */
    private final class Direction implements TlsRecordFramer.Sink {
        final boolean fromClient;
        final TlsRecordFramer framer = new TlsRecordFramer(this);
        long bytes;
        long plaintextBytes;
        /** Handshake bytes not yet a whole message. */
        byte[] hs = new byte[0];
        int hsHeld;
        boolean hsStopped;
        /** The read state in force (null: records are in the clear). */
        TlsRecordCipher cipher;
        /** TLS 1.3: the state after this direction's Finished. */
        TlsRecordCipher next;
        boolean protectedFromNow;
        boolean failed;
        long keyUpdates;

        Direction(boolean fromClient) {
            this.fromClient = fromClient;
        }

        @Override
        public void record(int type, int version, byte[] b, int off, int len, long firstFrame, long lastFrame,
                           long nanos) {
            bytes += TlsRecordFramer.HEADER_BYTES + len;
            if (type == CHANGE_CIPHER_SPEC) {
                if (!tls13 && serverHello != null) {
                    protectedFromNow = true;
                    cipher = tls12Cipher(fromClient);
                }
                return;
            }
            boolean encrypted = tls13 ? type == APPLICATION_DATA && serverHello != null : protectedFromNow;
            if (!encrypted) {
                if (type == HANDSHAKE) {
                    handshake(b, off, len, lastFrame);
                }
                return;
            }
            if (cipher == null || failed) {
                return;
            }
            TlsRecordCipher.Opened o = cipher.open(type, version, b, off, len);
            if (o == null && next != null) {
                // the peer's Finished was not seen (or not parsed): try the application traffic keys
                o = next.open(type, version, b, off, len);
                if (o != null) {
                    cipher = next;
                    next = null;
                }
            }
            if (o == null) {
                failed = true;
                if (notDecrypted == null || notDecrypted.equals("no_application_data")) {
                    notDecrypted = "decryption_failed";
                }
                listener.problem(lastFrame, "decryption_failed", "a " + (fromClient ? "client" : "server")
                        + " record does not authenticate (wrong key, or a damaged record); the direction is not "
                        + "decrypted further");
                return;
            }
            switch (o.type()) {
                case HANDSHAKE -> {
                    byte[] p = o.plaintext();
                    handshake(p, 0, p.length, lastFrame);
                }
                case APPLICATION_DATA -> {
                    decrypted = true;
                    plaintextBytes += o.plaintext().length;
                    listener.plaintext(fromClient, o.plaintext(), 0, o.plaintext().length, lastFrame, nanos);
                }
                default -> { }
            }
        }

        @Override
        public void stopped(long frame, String reason, String detail) {
            if (notDecrypted == null && !decrypted) {
                notDecrypted = reason.equals("framing_lost") ? "framing_lost" : "not_tls";
            }
            listener.problem(frame, reason, detail + " (" + (fromClient ? "client to server" : "server to client")
                    + ")");
        }

        /** Appends handshake bytes and handles each whole message (RFC 8446 section 4: type (1), length (3)). */
        void handshake(byte[] b, int off, int len, long frame) {
            if (hsStopped) {
                return;
            }
            if (hs.length < hsHeld + len) {
                hs = Arrays.copyOf(hs, Math.max(hsHeld + len, 2 * hs.length));
            }
            System.arraycopy(b, off, hs, hsHeld, len);
            hsHeld += len;
            int at = 0;
            while (hsHeld - at >= 4) {
                int n = ((hs[at + 1] & 0xff) << 16) | ((hs[at + 2] & 0xff) << 8) | (hs[at + 3] & 0xff);
                if (n > MAX_HANDSHAKE_BYTES) {
                    hsStopped = true;
                    hs = new byte[0];
                    hsHeld = 0;
                    listener.problem(frame, TlsReason.HANDSHAKE_TOO_LONG.code(), "handshake message of " + n
                            + " bytes exceeds limit (" + MAX_HANDSHAKE_BYTES + ")");
                    return;
                }
                if (hsHeld - at < 4 + n) {
                    break;
                }
                message(hs[at] & 0xff, ByteView.of(hs, at + 4, n), frame);
                at += 4 + n;
            }
            System.arraycopy(hs, at, hs, 0, hsHeld - at);
            hsHeld -= at;
        }

        void message(int type, ByteView body, long frame) {
            switch (type) {
                case CLIENT_HELLO -> {
                    if (fromClient && clientHello == null) {
                        DecodeResult<TlsClientHello> r = TlsClientHello.decode(body);
                        if (r instanceof DecodeResult.Decoded<TlsClientHello> ok) {
                            clientHello = ok.value();
                        } else if (r instanceof DecodeResult.Malformed<TlsClientHello> m) {
                            listener.problem(frame, m.reason().code(), "ClientHello: " + m.detail());
                        }
                    }
                }
                case SERVER_HELLO -> {
                    if (!fromClient && (serverHello == null || serverHello.helloRetryRequest())) {
                        DecodeResult<TlsServerHello> r = TlsServerHello.decode(body);
                        if (r instanceof DecodeResult.Decoded<TlsServerHello> ok) {
                            serverHello = ok.value();
                            if (!serverHello.helloRetryRequest()) {
                                serverHelloSeen();
                            }
                        } else if (r instanceof DecodeResult.Malformed<TlsServerHello> m) {
                            listener.problem(frame, m.reason().code(), "ServerHello: " + m.detail());
                        }
                    }
                }
                case ENCRYPTED_EXTENSIONS -> {
                    if (!fromClient) {
                        TlsExtensions e = TlsExtensions.decode(body, 0, false);
                        if (e.error() == null && !e.alpn().isEmpty()) {
                            alpnSelected = e.alpn().get(0);
                        }
                    }
                }
                case CERTIFICATE -> {
                    if (!fromClient && certificate == null) {
                        StringBuilder error = new StringBuilder();
                        certificate = TlsCertificateInfo.decode(body, tls13, error);
                        if (!error.isEmpty()) {
                            listener.problem(frame, TlsReason.BAD_CERTIFICATE.code(), error.toString());
                        }
                    }
                }
                case FINISHED -> {
                    if (tls13 && next != null) {
                        cipher = next;
                        next = null;
                    }
                }
                case KEY_UPDATE -> keyUpdate(body, frame);
                default -> { }
            }
        }

        /**
         * A KeyUpdate this direction sent (RFC 8446 section 4.6.3: {@code enum { update_not_requested(0),
         * update_requested(1) } request_update}): its later records are protected with the next traffic secret.
         * Only seen decrypted, so only under the application traffic keys (a KeyUpdate before the Finished is the
         * sender's error; it is reported and the keys stay).
         */
        void keyUpdate(ByteView body, long frame) {
            if (!tls13 || cipher == null) {
                return;
            }
            keyUpdates++;
            if (body.length() != 1 || body.u8(0) > 1) {
                listener.problem(frame, TlsReason.BAD_KEY_UPDATE.code(), "KeyUpdate of " + body.length()
                        + " bytes" + (body.length() > 0 ? ", request_update " + body.u8(0) : "") + " (RFC 8446"
                        + " section 4.6.3: one byte, 0 or 1)");
            }
            if (next != null) {
                listener.problem(frame, TlsReason.BAD_KEY_UPDATE.code(), "KeyUpdate before the "
                        + (fromClient ? "client's" : "server's") + " Finished (RFC 8446 section 4.6.3)");
                return;
            }
            try {
                cipher = cipher.updated();
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("the suite's own hash and cipher are gone: " + e.getMessage(), e);
            }
        }
    }

    private void serverHelloSeen() {
        tls13 = serverHello.version() == 0x0304;
        suite = TlsCipherSuite.of(serverHello.cipherSuite());
        alpnSelected = serverHello.alpn();
        if (secrets == null || secrets.isEmpty()) {
            notDecrypted = "no_keys";
            return;
        }
        if (clientHello == null) {
            notDecrypted = "no_handshake";
            return;
        }
        if (suite == null || suite.tls13() != tls13) {
            notDecrypted = "unsupported_cipher_suite";
            return;
        }
        byte[] cr = clientHello.random();
        if (!secrets.knows(cr)) {
            notDecrypted = "no_secret_for_session";
            return;
        }
        if (tls13) {
            byte[] ch = secrets.secret(cr, TlsSecrets.CLIENT_HANDSHAKE);
            byte[] sh = secrets.secret(cr, TlsSecrets.SERVER_HANDSHAKE);
            byte[] c0 = secrets.secret(cr, TlsSecrets.CLIENT_TRAFFIC_0);
            byte[] s0 = secrets.secret(cr, TlsSecrets.SERVER_TRAFFIC_0);
            if (c0 == null || s0 == null) {
                notDecrypted = "no_secret_for_session";
                return;
            }
            try {
                client.next = TlsRecordCipher.tls13(suite, c0);
                server.next = TlsRecordCipher.tls13(suite, s0);
                client.cipher = ch == null ? client.next : TlsRecordCipher.tls13(suite, ch);
                server.cipher = sh == null ? server.next : TlsRecordCipher.tls13(suite, sh);
                if (ch == null) {
                    client.next = null;
                }
                if (sh == null) {
                    server.next = null;
                }
            } catch (GeneralSecurityException e) {
                notDecrypted = "unsupported_cipher_suite";
                return;
            }
        } else if (secrets.secret(cr, TlsSecrets.CLIENT_RANDOM) == null) {
            notDecrypted = "no_secret_for_session";
            return;
        }
        notDecrypted = "no_application_data";
    }

    private TlsRecordCipher[] tls12;

    private TlsRecordCipher tls12Cipher(boolean fromClient) {
        if (!"no_application_data".equals(notDecrypted) && tls12 == null) {
            return null;
        }
        if (tls12 == null) {
            try {
                tls12 = TlsRecordCipher.tls12(suite, secrets.secret(clientHello.random(), TlsSecrets.CLIENT_RANDOM),
                        clientHello.random(), serverHello.random(),
                        clientHello.encryptThenMac() && serverHello.encryptThenMac());
            } catch (GeneralSecurityException e) {
                notDecrypted = "unsupported_cipher_suite";
                return null;
            }
        }
        return tls12[fromClient ? 0 : 1];
    }

    /** The next bytes of one direction of the rebuilt stream. */
    public void feed(boolean fromClient, byte[] b, int off, int len, long frame, long nanos) {
        (fromClient ? client : server).framer.feed(b, off, len, frame, nanos);
    }

    /** The connection ended: frees the buffers, keeps what the {@code tls_connections} row reports. */
    public void close() {
        for (Direction d : new Direction[] {client, server}) {
            d.framer.close();
            d.hs = new byte[0];
            d.hsHeld = 0;
            d.hsStopped = true;
            d.cipher = null;
            d.next = null;
        }
        tls12 = null;
    }

    /** Bytes of one direction were never captured. */
    public void gap(boolean fromClient, long bytes, long frame) {
        (fromClient ? client : server).framer.gap(bytes, frame);
    }

    @Override
    public TlsClientHello clientHello() {
        return clientHello;
    }

    @Override
    public TlsServerHello serverHello() {
        return serverHello;
    }

    @Override
    public TlsCertificateInfo certificate() {
        return certificate;
    }

    @Override
    public String alpnSelected() {
        return alpnSelected;
    }

    public TlsCipherSuite suite() {
        return suite;
    }

    /** True once some application data was decrypted. */
    @Override
    public boolean decrypted() {
        return decrypted;
    }

    /** Why no application data was decrypted (a {@code tls_connections.not_decrypted_reason} code), or null. */
    @Override
    public String notDecryptedReason() {
        if (decrypted && !client.failed && !server.failed) {
            return null;
        }
        if (decrypted) {
            return "decryption_failed";
        }
        if (notDecrypted != null) {
            return notDecrypted;
        }
        return clientHello == null || serverHello == null ? "no_handshake" : "no_keys";
    }

    @Override
    public long bytes(boolean fromClient) {
        return (fromClient ? client : server).bytes;
    }

    @Override
    public long records(boolean fromClient) {
        return (fromClient ? client : server).framer.records();
    }

    @Override
    public long plaintextBytes(boolean fromClient) {
        return (fromClient ? client : server).plaintextBytes;
    }

    @Override
    public long keyUpdates(boolean fromClient) {
        return (fromClient ? client : server).keyUpdates;
    }

    /** The negotiated version as text ({@code TLS 1.3}), or null without a ServerHello. */
    @Override
    public String versionText() {
        if (serverHello == null) {
            return null;
        }
        return switch (serverHello.version()) {
            case 0x0304 -> "TLS 1.3";
            case 0x0303 -> "TLS 1.2";
            case 0x0302 -> "TLS 1.1";
            case 0x0301 -> "TLS 1.0";
            case 0x0300 -> "SSL 3.0";
            default -> String.format("0x%04x", serverHello.version());
        };
    }
}
