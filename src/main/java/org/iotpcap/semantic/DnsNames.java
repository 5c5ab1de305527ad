package org.iotpcap.semantic;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.dns.DnsMessage;
import org.iotpcap.dissect.dns.DnsRecord;

/**
 * DNS names to addresses, from the answer sections of the capture's own DNS responses: writes
 * {@code dns_messages} and {@code dns_answers} as responses arrive and, at the end, {@code names}: each name with
 * every address it resolves to, CNAME chains followed (at most {@link #MAX_CHAIN} links, loops cut).
 */
final class DnsNames {
    static final int MAX_CHAIN = 16;
    /** Distinct names remembered for {@code names}; more are counted in dns_answers but not resolved. */
    static final int MAX_NAMES = 1_000_000;

    private record Address(String address, long frame) {}

    private final ModelSink sink;
    private final Map<String, Map<String, Address>> addresses = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> cnames = new LinkedHashMap<>();

    DnsNames(ModelSink sink) {
        this.sink = sink;
    }

    void message(MessageContext c, DnsMessage m) {
        String qname = m.questions().isEmpty() ? null : m.questions().get(0).name();
        Integer qtype = m.questions().isEmpty() ? null : m.questions().get(0).type();
        sink.row(Table.DNS_MESSAGES, c.endFrame(), c.endNanos(), c.transport(), c.src().address().toString(),
                c.src().port(), c.dst().address().toString(), c.dst().port(), m.id(), m.response(), m.opcode(),
                m.rcode(), m.authoritative(), m.truncated(), qname, qtype, m.questions().size(),
                m.answerRecords().size(), m.authorityRecords().size(), m.additionalRecords().size());
        if (!m.response()) {
            return;
        }
        section(c, "answer", m.answerRecords(), true);
        section(c, "authority", m.authorityRecords(), false);
        section(c, "additional", m.additionalRecords(), false);
    }

    private void section(MessageContext c, String section, List<DnsRecord> records, boolean resolves) {
        for (DnsRecord r : records) {
            String type = switch (r.type()) {
                case DnsRecord.TYPE_A -> "A";
                case DnsRecord.TYPE_AAAA -> "AAAA";
                case DnsRecord.TYPE_CNAME -> "CNAME";
                default -> null;
            };
            if (type == null) {
                continue;
            }
            String address = r.address() != null ? r.address().toString() : null;
            sink.row(Table.DNS_ANSWERS, c.endFrame(), c.endNanos(), section, r.name(), type, r.type(), address,
                    r.target(), r.ttl());
            if (!resolves || r.name() == null) {
                continue;
            }
            String name = key(r.name());
            if (address != null && (addresses.containsKey(name) || addresses.size() < MAX_NAMES)) {
                addresses.computeIfAbsent(name, k -> new LinkedHashMap<>()).putIfAbsent(address, new Address(address, c.endFrame()));
            } else if (r.target() != null && (cnames.containsKey(name) || cnames.size() < MAX_NAMES)) {
                cnames.computeIfAbsent(name, k -> new LinkedHashMap<>()).putIfAbsent(key(r.target()), c.endFrame());
            }
        }
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Writes {@code names}: every name with an address, directly or through CNAMEs. */
    void finish() {
        List<String> names = new ArrayList<>(addresses.keySet());
        for (String n : cnames.keySet()) {
            if (!addresses.containsKey(n)) {
                names.add(n);
            }
        }
        for (String name : names) {
            Map<String, Object[]> found = new LinkedHashMap<>();
            resolve(name, name, 0, new ArrayList<>(), found);
            for (Object[] row : found.values()) {
                sink.row(Table.NAMES, row);
            }
        }
    }

    private void resolve(String origin, String name, int depth, List<String> path, Map<String, Object[]> found) {
        if (depth > MAX_CHAIN || path.contains(name)) {
            return;
        }
        path.add(name);
        Map<String, Address> direct = addresses.get(name);
        if (direct != null) {
            String chain = path.size() > 1 ? String.join(" -> ", path) : null;
            for (Address a : direct.values()) {
                found.putIfAbsent(a.address(), new Object[] {origin, a.address(), a.frame(), chain});
            }
        }
        Map<String, Long> targets = cnames.get(name);
        if (targets != null) {
            for (String t : targets.keySet()) {
                resolve(origin, t, depth + 1, path, found);
            }
        }
        path.remove(path.size() - 1);
    }
}
