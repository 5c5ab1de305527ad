package org.iotpcap.semantic.tables;

import org.iotpcap.table.Column;
import org.iotpcap.table.TableDeclaration;

/**
 * The {@code tls_connections} table: one row per TLS connection (a TCP connection bound to TLS) or DTLS
 * association (a UDP flow bound to DTLS), what its
 * handshake shows without keys, and whether its records were decrypted. Key material never appears here.
 */
public final class TlsConnections extends TableDeclaration {
    public static final TlsConnections T = new TlsConnections();

    public final Column.Text transport = text("transport", "`tcp` (TLS) or `udp` (DTLS)");
    public final Column.Int64 stream = int64("stream", "TLS: the TCP connection (`tcp_connections.stream`); DTLS: the UDP flow (`frames.stream`)");
    public final Column.Text client = text("client", "client address (DTLS: the sender of the flow's first datagram)");
    public final Column.Int32 clientPort = int32("client_port", "client port");
    public final Column.Text server = text("server", "server address");
    public final Column.Int32 serverPort = int32("server_port", "server port");
    public final Column.Int64 firstFrame = int64("first_frame", "first frame of the connection");
    public final Column.Int64 startNs = int64("start_ns", "time of the first frame, nanoseconds since the epoch (exact)");
    public final Column.Time startTime = time("start_time", startNs, "time of the first frame (UTC)");
    public final Column.Text version = text("version", "negotiated version (`TLS 1.2`, `TLS 1.3`, `DTLS 1.2`; from supported_versions when the ServerHello has it), null without a ServerHello");
    public final Column.Text sni = text("sni", "server_name the client asked for (RFC 6066), null when none");
    public final Column.Text alpn = text("alpn", "ALPN protocols the client offered, comma-separated (RFC 7301), null when none");
    public final Column.Text alpnSelected = text("alpn_selected", "the ALPN protocol the server chose (ServerHello, or TLS 1.3 EncryptedExtensions once decrypted), null when none seen");
    public final Column.Int32 cipherSuiteId = int32("cipher_suite_id", "cipher suite the server chose, as its IANA number (tshark's `tls.handshake.ciphersuite`)");
    public final Column.Text cipherSuite = text("cipher_suite", "its IANA name (`TLS_AES_128_GCM_SHA256`), `0x....` when unknown");
    public final Column.Text certSubject = text("cert_subject", "subject of the server's certificate (RFC 2253; TLS and DTLS 1.2), null when not seen (TLS 1.3 sends it encrypted)");
    public final Column.Text certIssuer = text("cert_issuer", "issuer of the server's certificate (RFC 2253)");
    public final Column.Int64 certNotBeforeNs = int64("cert_not_before_ns", "start of the certificate's validity, nanoseconds since the epoch");
    public final Column.Time certNotBefore = time("cert_not_before", certNotBeforeNs, "start of the certificate's validity (UTC)");
    public final Column.Int64 certNotAfterNs = int64("cert_not_after_ns", "end of the certificate's validity, nanoseconds since the epoch");
    public final Column.Time certNotAfter = time("cert_not_after", certNotAfterNs, "end of the certificate's validity (UTC)");
    public final Column.Text ja4 = text("ja4", "JA4 fingerprint of the ClientHello (FoxIO), null without one");
    public final Column.Int64 bytesFromClient = int64("bytes_from_client", "TLS record bytes from the client (headers included)");
    public final Column.Int64 bytesFromServer = int64("bytes_from_server", "TLS record bytes from the server (headers included)");
    public final Column.Int64 recordsFromClient = int64("records_from_client", "TLS records from the client");
    public final Column.Int64 recordsFromServer = int64("records_from_server", "TLS records from the server");
    public final Column.Bool decrypted = bool("decrypted", "application data was decrypted (with a key log or secrets in the capture)");
    public final Column.Text notDecryptedReason = text("not_decrypted_reason", "why not: `no_keys`, `no_secret_for_session`, `decryption_failed`, `unsupported_cipher_suite`, `no_handshake`, `no_application_data` (keys present, none sent), `framing_lost`, `not_tls`; null when decrypted");
    public final Column.Int64 plaintextFromClient = int64("plaintext_from_client", "decrypted application data bytes from the client");
    public final Column.Int64 plaintextFromServer = int64("plaintext_from_server", "decrypted application data bytes from the server");
    public final Column.Int64 keyUpdatesFromClient = int64("key_updates_from_client", "TLS 1.3 KeyUpdate messages from the client (seen decrypted; each moves its records to the next traffic secret, RFC 8446 section 7.2)");
    public final Column.Int64 keyUpdatesFromServer = int64("key_updates_from_server", "TLS 1.3 KeyUpdate messages from the server");
    public final Column.Text innerProtocol = text("inner_protocol", "the protocol the decrypted bytes were handed to (`mqtt`; `mqtt-ws`: MQTT over WebSockets, wss, once the HTTP Upgrade succeeded; `coap` for DTLS), null when none");
    /** The capture file; stamped by the row writer, never set by a producer. */
    public final Column.Text capture = capture();

    private TlsConnections() {
        super("tls_connections", "One row per TLS connection: its handshake, and whether it was decrypted.");
    }
}
