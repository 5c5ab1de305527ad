package org.iotpcap.dissect.dns;

/**
 * A name resolution read from an answer section: the owner name, the type (1 = A, 28 = AAAA, 5 = CNAME),
 * the address text or the CNAME target, and the TTL in seconds.
 */
public record DnsAnswer(String name, int type, String value, long ttl) {}
