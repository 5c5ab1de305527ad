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
 * MAC/AEAD sequence number. A handshake message split into fragments (RFC 6347 section 4.2.3: fragment_offset,
 * fragment_length) is reassembled, per direction and message_seq, before it is parsed or hashed; fragments may
 * come in any order, overlap or repeat, and a fragment whose type or length disagrees with the message's first is
 * reported and dropped. At most {@link #MAX_REASSEMBLY_BYTES} of messages are held unfinished per association.
 * The server's Certificate gives the certificate columns, as in TLS 1.2. Not handled: epochs above 1
 * (renegotiation), DTLS 1.3. The plain PSK suites ({@code TLS_PSK_WITH_*}, such as libcoap's and constrained
 * devices' TLS_PSK_WITH_AES_128_CCM_8) decrypt without a key log from {@link TlsSecrets#addPsk} ({@code --psk});
 * ECDHE_PSK suites need the key log.
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
    /**
     * Handshake messages from the ClientHello after a HelloVerifyRequest on, in handshake order, for the extended
     * master secret; each keyed by direction and message_seq ({@link #inTranscript}).
     */
    private final java.util.List<byte[]> transcript = new java.util.ArrayList<>();
    private final java.util.List<Integer> transcriptKeys = new java.util.ArrayList<>();
    private int transcriptBytes;
    private final java.util.Set<Integer> inTranscript = new java.util.HashSet<>();
    private boolean pskPending;
    /** The transcript is capped: a handshake is a few KiB; past this the PSK derivation is given up. */
    private static final int MAX_TRANSCRIPT_BYTES = 1 << 16;
    /** Bytes of unfinished fragmented handshake messages held per association (a certificate chain fits). */
    public static final int MAX_REASSEMBLY_BYTES = 1 << 16;
    private static final int CERTIFICATE = 11;
    private final java.util.Map<Integer, Reassembly> reassembly = new java.util.HashMap<>();
    private int reassemblyBytes;
    private TlsCertificateInfo certificate;

    /**
     * A handshake message being rebuilt from fragments: its DTLS handshake header as if sent in one fragment
     * (fragment_offset 0, fragment_length = length) followed by the body, and which body bytes have come.
     */
    private static final class Reassembly {
        final int type;
        final int length;
        final byte[] message;
        final java.util.BitSet have;

        Reassembly(int type, int length, int seqNo) {
            this.type = type;
            this.length = length;
            this.message = new byte[HS_HEADER + length];
            this.have = new java.util.BitSet(length);
            message[0] = (byte) type;
            for (int i : new int[] {1, 9}) {   // length, and fragment_length = length
                message[i] = (byte) (length >> 16);
                message[i + 1] = (byte) (length >> 8);
                message[i + 2] = (byte) length;
            }
            message[4] = (byte) (seqNo >> 8);
            message[5] = (byte) seqNo;
        }
    }

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
                message(fromClient, type, f.slice(at, HS_HEADER + fragLen), frame);
            } else {
                fragment(fromClient, type, length, f.u16(at + 4), fragOff, f.slice(at + HS_HEADER, fragLen), frame);
            }
            at += HS_HEADER + fragLen;
        }
    }

    /**
     * One fragment of a handshake message (RFC 6347 section 4.2.3): its bytes go to offset {@code fragOff} of the
     * message {@code seqNo} of this direction; once every byte of the message has come, it is handled whole.
     */
    private void fragment(boolean fromClient, int type, int length, int seqNo, int fragOff, ByteView bytes,
                          long frame) {
        int key = (fromClient ? 0x10000 : 0) | seqNo;
        if (inTranscript.contains(key)) {
            return;   // a retransmission of a message already handled
        }
        if (fragOff + bytes.length() > length) {
            listener.problem(frame, TlsReason.BAD_FRAGMENT.code(), "DTLS handshake fragment " + fragOff + "+" + bytes.length()
                    + " exceeds its message length " + length + " (message_seq " + seqNo + ")");
            return;
        }
        Reassembly m = reassembly.get(key);
        if (m == null) {
            if (reassemblyBytes + length > MAX_REASSEMBLY_BYTES) {
                listener.problem(frame, TlsReason.HANDSHAKE_TOO_LONG.code(), "DTLS handshake message of " + length + " bytes"
                        + " in fragments exceeds the reassembly limit (" + MAX_REASSEMBLY_BYTES + " bytes held, "
                        + reassemblyBytes + " in use): not reassembled");
                return;
            }
            m = new Reassembly(type, length, seqNo);
            reassembly.put(key, m);
            reassemblyBytes += length;
        } else if (m.type != type || m.length != length) {
            listener.problem(frame, TlsReason.BAD_FRAGMENT.code(), "DTLS handshake fragment of message_seq " + seqNo + " says type "
                    + type + ", length " + length + "; its first said type " + m.type + ", length " + m.length);
            return;
        }
        System.arraycopy(bytes.array(), bytes.arrayOffset(), m.message, HS_HEADER + fragOff, bytes.length());
        m.have.set(fragOff, fragOff + bytes.length());
        if (m.have.cardinality() == length) {
            reassembly.remove(key);
            reassemblyBytes -= length;
            message(fromClient, type, ByteView.of(m.message), frame);
        }
    }

    /** A whole handshake message, its 12-byte header as for one fragment: hashed, then read. */
    private void message(boolean fromClient, int type, ByteView message, long frame) {
        ByteView body = message.slice(HS_HEADER, message.length() - HS_HEADER);
        Reassembly stale = reassembly.remove((fromClient ? 0x10000 : 0) | message.u16(4));
        if (stale != null) {
            reassemblyBytes -= stale.length;   // the message came whole too (a retransmission)
        }
        transcript(fromClient, type, message);
        if (type == 16 && fromClient && pskPending) {
            clientKeyExchange(body);
        }
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
        } else if (type == CERTIFICATE && !fromClient && certificate == null) {
            StringBuilder error = new StringBuilder();
            certificate = TlsCertificateInfo.decode(body, false, error);
            if (!error.isEmpty()) {
                listener.problem(frame, TlsReason.BAD_CERTIFICATE.code(), error.toString());
            }
        }
    }

    /**
     * The handshake hash input (RFC 7627 section 4, RFC 6347 section 4.2.6): every handshake message from the
     * ClientHello that follows the HelloVerifyRequest, each once (retransmissions are skipped), with its DTLS
     * header as if sent in one fragment, which an unfragmented message already is. Messages are kept in handshake
     * order: a peer sends its next flight only once it has the other's whole flight, so the order is the order
     * messages are completed except inside one flight, where a message reassembled from fragments may complete
     * after a later one; it goes back before the messages of its own direction with a higher message_seq.
     */
    private void transcript(boolean fromClient, int type, ByteView message) {
        if (type == 3) {
            transcript.clear();
            transcriptKeys.clear();
            transcriptBytes = 0;
            inTranscript.clear();
            return;
        }
        int key = (fromClient ? 0x10000 : 0) | message.u16(4);
        if (!inTranscript.add(key) || transcriptBytes >= MAX_TRANSCRIPT_BYTES) {
            return;
        }
        int at = transcript.size();
        while (at > 0 && (transcriptKeys.get(at - 1) & 0x10000) == (key & 0x10000) && transcriptKeys.get(at - 1) > key) {
            at--;
        }
        transcript.add(at, message.toByteArray());
        transcriptKeys.add(at, key);
        transcriptBytes += message.length();
    }

    /**
     * A plain PSK ClientKeyExchange ({@code psk_identity<0..2^16-1>}, RFC 4279 section 2): with that identity's
     * key, premaster = uint16(N) | N zeros | uint16(N) | psk, and master_secret = PRF(premaster,
     * "extended master secret", Hash(transcript)) when extended_master_secret was negotiated, else
     * PRF(premaster, "master secret", client_random + server_random) (RFC 5246 section 8.1).
     */
    private void clientKeyExchange(ByteView body) {
        pskPending = false;
        if (body.length() < 2 || 2 + body.u16(0) > body.length()) {
            notDecrypted = "no_handshake";
            return;
        }
        String identity = body.latin1(2, body.u16(0));
        byte[] psk = secrets.psk(identity);
        if (psk == null) {
            notDecrypted = "no_secret_for_session";
            return;
        }
        int n = psk.length;
        byte[] pre = new byte[4 + 2 * n];
        pre[0] = (byte) (n >> 8);
        pre[1] = (byte) n;
        pre[2 + n] = (byte) (n >> 8);
        pre[3 + n] = (byte) n;
        System.arraycopy(psk, 0, pre, 4 + n, n);
        try {
            byte[] master;
            if (serverHello.extendedMasterSecret() && clientHello.extensions().contains(23)) {
                if (transcriptBytes >= MAX_TRANSCRIPT_BYTES) {
                    notDecrypted = "no_handshake";
                    return;
                }
                java.security.MessageDigest digest = java.security.MessageDigest.getInstance(suite.hash());
                transcript.forEach(digest::update);
                byte[] hash = digest.digest();
                master = TlsRecordCipher.prf(suite.hash(), pre, "extended master secret", hash, 48);
            } else {
                byte[] seed = new byte[64];
                System.arraycopy(clientHello.random(), 0, seed, 0, 32);
                System.arraycopy(serverHello.random(), 0, seed, 32, 32);
                master = TlsRecordCipher.prf(suite.hash(), pre, "master secret", seed, 48);
            }
            ciphers = TlsRecordCipher.tls12(suite, master, clientHello.random(), serverHello.random(),
                    clientHello.encryptThenMac() && serverHello.encryptThenMac());
            notDecrypted = "no_application_data";
        } catch (GeneralSecurityException e) {
            notDecrypted = "unsupported_cipher_suite";
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
            // a plain PSK suite decrypts with --psk: the key is known once the ClientKeyExchange names its identity
            pskPending = suite.name().startsWith("TLS_PSK_WITH_");
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
        return certificate;
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
