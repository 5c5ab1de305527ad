package org.iotpcap.semantic;

import org.iotpcap.bytes.Diagnostics;
import org.iotpcap.bytes.Layer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.iotpcap.dissect.MessageContext;
import org.iotpcap.dissect.dns.DnsMessage;
import org.iotpcap.dissect.dns.DnsRecord;
import org.iotpcap.semantic.tables.DnsAnswers;
import org.iotpcap.semantic.tables.DnsMessages;
import org.iotpcap.semantic.tables.Names;
import org.iotpcap.table.RowWriter;
import org.iotpcap.table.TableSink;

/**
 * DNS names to addresses, from the answer sections of the capture's own DNS responses: writes
 * {@code dns_messages} and {@code dns_answers} as responses arrive and, at the end, {@code names}: each name with
 * every address it resolves to, CNAME chains followed (at most {@link #MAX_CHAIN} links, loops cut).
 */
final class DnsNames {
    static final int MAX_CHAIN = 16;

    private record Address(String address, long frame) {}

    private record Found(String address, long frame, String chain) {}

    private final RowWriter messages;
    private final RowWriter answers;
    private final RowWriter names;
    private final Map<String, Map<String, Address>> addresses = new LinkedHashMap<>();
    private final Map<String, Map<String, Long>> cnames = new LinkedHashMap<>();

    /** Distinct names remembered for {@code names}; more are in dns_answers but not resolved (reported once). */
    private final int maxNames;
    private final Diagnostics diagnostics;
    private boolean reported;

    DnsNames(TableSink sink, int maxNames, Diagnostics diagnostics) {
        this.maxNames = maxNames;
        this.diagnostics = diagnostics;
        this.messages = sink.writer(DnsMessages.T);
        this.answers = sink.writer(DnsAnswers.T);
        this.names = sink.writer(Names.T);
    }

    void message(MessageContext c, DnsMessage m) {
        String qname = m.questions().isEmpty() ? null : m.questions().get(0).name();
        Integer qtype = m.questions().isEmpty() ? null : m.questions().get(0).type();
        DnsMessages t = DnsMessages.T;
        if (messages.enabled()) {
            messages.begin().set(t.frame, c.endFrame()).set(t.timeNs, c.endNanos()).set(t.transport, c.transport())
                    .set(t.src, c.src().address().toString()).set(t.srcPort, c.src().port())
                    .set(t.dst, c.dst().address().toString()).set(t.dstPort, c.dst().port())
                    .set(t.id, m.id()).set(t.response, m.response()).set(t.opcode, m.opcode()).set(t.rcode, m.rcode())
                    .set(t.authoritative, m.authoritative()).set(t.truncated, m.truncated())
                    .set(t.qname, qname).set(t.qtype, qtype).set(t.questions, m.questions().size())
                    .set(t.answers, m.answerRecords().size()).set(t.authorities, m.authorityRecords().size())
                    .set(t.additionals, m.additionalRecords().size()).end();
        }
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
            DnsAnswers t = DnsAnswers.T;
            answers.begin().set(t.frame, c.endFrame()).set(t.timeNs, c.endNanos()).set(t.section, section)
                    .set(t.name, r.name()).set(t.type, type).set(t.typeCode, r.type()).set(t.address, address)
                    .set(t.target, r.target()).set(t.ttl, r.ttl()).end();
            if (!resolves || r.name() == null) {
                continue;
            }
            String name = key(r.name());
            if (address != null && (addresses.containsKey(name) || addresses.size() < maxNames)) {
                addresses.computeIfAbsent(name, k -> new LinkedHashMap<>()).putIfAbsent(address, new Address(address, c.endFrame()));
            } else if (r.target() != null && (cnames.containsKey(name) || cnames.size() < maxNames)) {
                cnames.computeIfAbsent(name, k -> new LinkedHashMap<>()).putIfAbsent(key(r.target()), c.endFrame());
            } else if ((address != null || r.target() != null) && !reported) {
                reported = true;
                diagnostics.report(c.endFrame(), Layer.SEMANTIC, "dns_name_limit", "DNS names (" + (maxNames + 1)
                        + ") exceed limit (" + maxNames + "): further names are in dns_answers but not in names");
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
            Map<String, Found> found = new LinkedHashMap<>();
            resolve(name, 0, new ArrayList<>(), found);
            Names t = Names.T;
            for (Found f : found.values()) {
                this.names.begin().set(t.name, name).set(t.address, f.address()).set(t.firstFrame, f.frame())
                        .set(t.chain, f.chain()).end();
            }
        }
    }

    private void resolve(String name, int depth, List<String> path, Map<String, Found> found) {
        if (depth > MAX_CHAIN || path.contains(name)) {
            return;
        }
        path.add(name);
        Map<String, Address> direct = addresses.get(name);
        if (direct != null) {
            String chain = path.size() > 1 ? String.join(" -> ", path) : null;
            for (Address a : direct.values()) {
                found.putIfAbsent(a.address(), new Found(a.address(), a.frame(), chain));
            }
        }
        Map<String, Long> targets = cnames.get(name);
        if (targets != null) {
            for (String t : targets.keySet()) {
                resolve(t, depth + 1, path, found);
            }
        }
        path.remove(path.size() - 1);
    }
}
