package org.iotpcap.dissect.tls;

import java.security.GeneralSecurityException;
import org.iotpcap.bytes.ByteView;
import org.iotpcap.dissect.DecodeResult;

/**
 * One DTLS 1.2 association over UDP (RFC 6347), CoAP's {@code coaps} on 5684 (RFC 7252 section 9): the records
 * of each datagram (several may share one), the ClientHello and ServerHello in the clear, and, with the
 * session's {@code CLIENT_RANDOM} master secret from {@link TlsSecrets}, the application data of epoch 1, each
 * record's plaintext handed to the {@link TlsSession.Listener} (for CoAP: one message per record).
 *
 * <pre>
 * record:    type (1) | version (2) | epoch (2) | sequence_number (6) | length (2) | fragment
 * handshake: msg_type (1) | length (3) | message_seq (2) | fragment_offset (3) | fragment_length (3) | body
 * </pre>
 *
 * The record cipher is TLS 1.2's ({@link TlsRecordCipher}) with the record's epoch and sequence number as the
 * MAC/AEAD sequence number. Not handled: handshake messages split into fragments (a ClientHello, ServerHello or
 * Certificate over several records is not read, and the association reports {@code no_handshake}), a session
 * key derived from {@code --psk} (a key log is needed), epochs above 1 (renegotiation), DTLS 1.3.
 */
public final class DtlsSession implements TlsSummary {
    private static final int HEADER = 13;
    private static final int HS_HEADER = 12;

    private final TlsSecrets secrets;
    private final TlsSession.Listener listener;
    private final long[] bytes = new long[2];
    private final long[] records = new long[2];
    private final long[] plaintext = new long[2];
    private final boolean[] failed = new boolean[2];
    private TlsClientHello clientHello;
    private TlsServerHello serverHello;
    private TlsCipherSuite suite;
    private TlsRecordCipher[] ciphers;
    private String notDecrypted;
    private boolean decrypted;

    public DtlsSession(TlsSecrets secrets, TlsSession.Listener listener) {
        this.secrets = secrets;
        this.listener = listener;
    }

    /** One datagram of the association. */
    public void datagram(boolean fromClient, ByteView d, long frame, long nanos) {
        int dir = fromClient ? 0 : 1;
        int at = 0;
        while (at < d.length()) {
            if (d.length() - at < HEADER) {
                listener.problem(frame, "too_short", "DTLS record header cut short: " + (d.length() - at) + " bytes");
                return;
            }
            int type = d.u8(at);
            int version = d.u16(at + 1);
            int epoch = d.u16(at + 3);
            long seq = ((long) d.u16(at + 5) << 32) | d.u32(at + 7);
            int len = d.u16(at + 11);
            if (type < 20 || type > 25 || (version >> 8) != 0xfe) {
                listener.problem(frame, "bad_content_type", "not a DTLS record: type " + type + ", version 0x"
                        + Integer.toHexString(version));
                return;
            }
            if (at + HEADER + len > d.length()) {
                listener.problem(frame, "bad_length", "DTLS record length " + len + " exceeds the datagram");
                return;
            }
            bytes[dir] += HEADER + len;
            records[dir]++;
            ByteView f = d.slice(at + HEADER, len);
            if (epoch == 0) {
                if (type == 22) {
                    handshake(fromClient, f, frame);
                }
            } else if (type == 23 && epoch == 1) {
                application(dir, fromClient, ((long) epoch << 48) | seq, type, version, f, frame, nanos);
            }
            at += HEADER + len;
        }
    }

    private void handshake(boolean fromClient, ByteView f, long frame) {
        int at = 0;
        while (f.length() - at >= HS_HEADER) {
            int type = f.u8(at);
            int length = f.u24(at + 1);
            int fragOff = f.u24(at + 6);
            int fragLen = f.u24(at + 9);
            if (at + HS_HEADER + fragLen > f.length()) {
                listener.problem(frame, "bad_length", "DTLS handshake fragment length " + fragLen + " exceeds its record");
                return;
            }
            if (fragOff == 0 && fragLen == length) {
                ByteView body = f.slice(at + HS_HEADER, fragLen);
                if (type == 1 && fromClient) {
                    DecodeResult<TlsClientHello> r = TlsClientHello.decode(body, true);
                    if (r instanceof DecodeResult.Decoded<TlsClientHello> ok) {
                        clientHello = ok.value();
                    } else if (r instanceof DecodeResult.Malformed<TlsClientHello> m) {
                        listener.problem(frame, m.reason().code(), "ClientHello: " + m.detail());
                    }
                } else if (type == 2 && !fromClient && serverHello == null) {
                    DecodeResult<TlsServerHello> r = TlsServerHello.decode(body);
                    if (r instanceof DecodeResult.Decoded<TlsServerHello> ok) {
                        serverHello = ok.value();
                        serverHelloSeen();
                    } else if (r instanceof DecodeResult.Malformed<TlsServerHello> m) {
                        listener.problem(frame, m.reason().code(), "ServerHello: " + m.detail());
                    }
                }
            }
            at += HS_HEADER + fragLen;
        }
    }

    private void serverHelloSeen() {
        suite = TlsCipherSuite.of(serverHello.cipherSuite());
        if (secrets == null || secrets.isEmpty()) {
            notDecrypted = "no_keys";
        } else if (clientHello == null) {
            notDecrypted = "no_handshake";
        } else if (suite == null || suite.tls13()) {
            notDecrypted = "unsupported_cipher_suite";
        } else if (secrets.secret(clientHello.random(), TlsSecrets.CLIENT_RANDOM) == null) {
            notDecrypted = "no_secret_for_session";
        } else {
            try {
                ciphers = TlsRecordCipher.tls12(suite, secrets.secret(clientHello.random(), TlsSecrets.CLIENT_RANDOM),
                        clientHello.random(), serverHello.random(),
                        clientHello.encryptThenMac() && serverHello.encryptThenMac());
                notDecrypted = "no_application_data";
            } catch (GeneralSecurityException e) {
                notDecrypted = "unsupported_cipher_suite";
            }
        }
    }

    private void application(int dir, boolean fromClient, long epochSeq, int type, int version, ByteView f,
                             long frame, long nanos) {
        if (ciphers == null || failed[dir]) {
            return;
        }
        TlsRecordCipher.Opened o = ciphers[dir].openDtls(epochSeq, type, version, f.array(), f.arrayOffset(),
                f.length());
        if (o == null) {
            // RFC 6347 section 4.1.2.7: a record that fails authentication is discarded; one bad datagram does
            // not end the association, but it is reported
            failed[dir] = !decrypted;
            if (!decrypted) {
                notDecrypted = "decryption_failed";
            }
            listener.problem(frame, "decryption_failed", "a " + (fromClient ? "client" : "server")
                    + " DTLS record does not authenticate (wrong key, or a damaged record)");
            return;
        }
        decrypted = true;
        plaintext[dir] += o.plaintext().length;
        listener.plaintext(fromClient, o.plaintext(), 0, o.plaintext().length, frame, nanos);
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
        return null;
    }

    @Override
    public String alpnSelected() {
        return serverHello == null ? null : serverHello.alpn();
    }

    @Override
    public boolean decrypted() {
        return decrypted;
    }

    @Override
    public String notDecryptedReason() {
        if (decrypted) {
            return null;
        }
        if (notDecrypted != null) {
            return notDecrypted;
        }
        return "no_handshake";
    }

    @Override
    public long bytes(boolean fromClient) {
        return bytes[fromClient ? 0 : 1];
    }

    @Override
    public long records(boolean fromClient) {
        return records[fromClient ? 0 : 1];
    }

    @Override
    public long plaintextBytes(boolean fromClient) {
        return plaintext[fromClient ? 0 : 1];
    }

    @Override
    public String versionText() {
        if (serverHello == null) {
            return null;
        }
        return switch (serverHello.version()) {
            case 0xfefd -> "DTLS 1.2";
            case 0xfeff -> "DTLS 1.0";
            case 0xfefc -> "DTLS 1.3";
            default -> String.format("0x%04x", serverHello.version());
        };
    }

    @Override
    public boolean dtls() {
        return true;
    }
}
