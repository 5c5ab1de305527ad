package org.iotpcap.dissect.tls;

import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * Session secrets from an NSS key log (the SSLKEYLOGFILE format that browsers, Python's
 * {@code SSLContext.keylog_filename}, curl, Go and Node write; also what {@code editcap --inject-secrets tls,FILE}
 * stores in a pcapng Decryption Secrets Block): one {@code LABEL CLIENT_RANDOM_HEX SECRET_HEX} a line, {@code #}
 * starts a comment. Kept: {@code CLIENT_RANDOM} (the TLS 1.2 master secret) and TLS 1.3's
 * {@code CLIENT_HANDSHAKE_TRAFFIC_SECRET}, {@code SERVER_HANDSHAKE_TRAFFIC_SECRET}, {@code CLIENT_TRAFFIC_SECRET_0},
 * {@code SERVER_TRAFFIC_SECRET_0}; other labels (EXPORTER_SECRET, early traffic) are counted and ignored.
 *
 * <p>Secrets are looked up by the ClientHello's random. Nothing here prints a secret: {@link #toString()} and
 * every count name only how many there are.
 */
public final class TlsSecrets {
    public static final String CLIENT_RANDOM = "CLIENT_RANDOM";
    public static final String CLIENT_HANDSHAKE = "CLIENT_HANDSHAKE_TRAFFIC_SECRET";
    public static final String SERVER_HANDSHAKE = "SERVER_HANDSHAKE_TRAFFIC_SECRET";
    public static final String CLIENT_TRAFFIC_0 = "CLIENT_TRAFFIC_SECRET_0";
    public static final String SERVER_TRAFFIC_0 = "SERVER_TRAFFIC_SECRET_0";

    private final Map<String, Map<String, byte[]>> byRandom = new HashMap<>();
    private final Map<String, byte[]> psks = new HashMap<>();
    private long badLines;
    private long sources;

    /** An empty store: no connection decrypts. */
    public TlsSecrets() {}

    /** True when no secret was ever added. */
    public boolean isEmpty() {
        return byRandom.isEmpty() && psks.isEmpty();
    }

    /**
     * Adds a pre-shared key ({@code --psk IDENTITY:HEX}) for the plain PSK suites (RFC 4279), which need no
     * key log: the master secret derives from the key and the handshake.
     */
    public void addPsk(String identity, byte[] key) {
        psks.put(identity, key.clone());
    }

    /**
     * A pre-shared key as {@code --psk} gives it, {@code IDENTITY:HEX} (the last colon ends the identity; the key
     * is one or more bytes in hex).
     *
     * @throws IllegalArgumentException saying "for identity 'IDENTITY': expected IDENTITY:HEX", never the key
     */
    public static Map.Entry<String, byte[]> parsePsk(String text) {
        int colon = text.lastIndexOf(':');
        String identity = colon < 0 ? "" : text.substring(0, colon);
        try {
            byte[] key = HexFormat.of().parseHex(text.substring(colon + 1));
            if (colon >= 0 && key.length > 0) {
                return Map.entry(identity, key);
            }
        } catch (IllegalArgumentException e) {
            // not hex: the message below, without the text
        }
        throw new IllegalArgumentException("for identity '" + identity + "': expected IDENTITY:HEX");
    }

    /** The pre-shared key of that identity, or null. */
    public byte[] psk(String identity) {
        return psks.get(identity);
    }

    /** Key log sources added (files, Decryption Secrets Blocks). */
    public long sources() {
        return sources;
    }

    /** Lines that were neither comments, blank, nor {@code LABEL HEX HEX} with a 32-byte random. */
    public long badLines() {
        return badLines;
    }

    /** Adds every secret of a key log's text. */
    public void addKeyLog(CharSequence text) {
        sources++;
        int n = text.length();
        int start = 0;
        while (start < n) {
            int end = start;
            while (end < n && text.charAt(end) != '\n') {
                end++;
            }
            line(text.subSequence(start, end).toString().strip());
            start = end + 1;
        }
    }

    private void line(String line) {
        if (line.isEmpty() || line.startsWith("#")) {
            return;
        }
        String[] f = line.split("\\s+");
        if (f.length != 3 || f[1].length() != 64) {
            badLines++;
            return;
        }
        switch (f[0]) {
            case CLIENT_RANDOM, CLIENT_HANDSHAKE, SERVER_HANDSHAKE, CLIENT_TRAFFIC_0, SERVER_TRAFFIC_0 -> {
                try {
                    byte[] secret = HexFormat.of().parseHex(f[2]);
                    HexFormat.of().parseHex(f[1]);
                    byRandom.computeIfAbsent(f[1].toLowerCase(java.util.Locale.ROOT), k -> new HashMap<>())
                            .put(f[0], secret);
                } catch (IllegalArgumentException e) {
                    badLines++;
                }
            }
            default -> { }
        }
    }

    /** The secret of that label for the session whose ClientHello random is {@code clientRandom}, or null. */
    public byte[] secret(byte[] clientRandom, String label) {
        Map<String, byte[]> m = byRandom.get(HexFormat.of().formatHex(clientRandom));
        return m == null ? null : m.get(label);
    }

    /** True when the store has any secret for that session. */
    public boolean knows(byte[] clientRandom) {
        return byRandom.containsKey(HexFormat.of().formatHex(clientRandom));
    }

    @Override
    public String toString() {
        return "TlsSecrets[" + byRandom.size() + " sessions, " + psks.size() + " pre-shared keys]";
    }
}
