package org.iotpcap.dissect.dns;

/**
 * One question (RFC 1035 section 4.1.2).
 *
 * @param name as tshark prints {@code dns.qry.name} (see {@link DnsDecoder} for the text form)
 * @param type QTYPE ({@code dns.qry.type})
 * @param qclass QCLASS, all 16 bits (mDNS puts its unicast-response flag in the top bit)
 */
public record DnsQuestion(String name, int type, int qclass) {}
