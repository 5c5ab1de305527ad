#!/usr/bin/env python3
"""Writes the seed inputs of the Jazzer fuzz targets (src/test/java/org/iotpcap/fuzz) from the fixture
captures (fixtures/captures) and from spec examples written out below. Run from the repository root:

    python3 src/test/fuzz/make_seeds.py

Each seed is kept small (a few KB per target) so the normal test run replays them in well under a second.
"""
import gzip, os, struct, sys

FIX = "fixtures/captures"
OUT = "src/test/resources/org/iotpcap/fuzz"


def records(path):
    """(link type, frame bytes) of a pcap or pcapng file (little-endian pcapng, EPBs only)."""
    b = open(path, "rb").read()
    if b[:4] in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
        lt = struct.unpack_from("<I", b, 20)[0]
        o = 24
        while o + 16 <= len(b):
            incl = struct.unpack_from("<I", b, o + 8)[0]
            yield lt, b[o + 16:o + 16 + incl]
            o += 16 + incl
        return
    o, lts = 0, []
    while o + 12 <= len(b):
        t, ln = struct.unpack_from("<II", b, o)
        if t == 1:
            lts.append(struct.unpack_from("<H", b, o + 8)[0])
        elif t == 6:
            iface, _, _, cap = struct.unpack_from("<IIII", b, o + 8)
            yield lts[iface], b[o + 28:o + 28 + cap]
        o += ln


def ip_of(lt, f):
    if lt == 1:
        et, o = struct.unpack_from(">H", f, 12)[0], 14
        while et == 0x8100:
            et, o = struct.unpack_from(">H", f, o + 2)[0], o + 4
        return f[o:] if et in (0x0800, 0x86DD) else None
    if lt == 276:  # SLL2
        return f[20:] if struct.unpack_from(">H", f, 0)[0] in (0x0800, 0x86DD) else None
    return None


def transport(ip):
    """(protocol, src port, dst port, payload) of an unfragmented IPv4/IPv6 UDP or TCP packet."""
    if ip[0] >> 4 == 4:
        ihl, proto = (ip[0] & 15) * 4, ip[9]
        total = struct.unpack_from(">H", ip, 2)[0]
        if struct.unpack_from(">H", ip, 6)[0] & 0x3fff:
            return None
        l4 = ip[ihl:total]
    else:
        proto, l4 = ip[6], ip[40:40 + struct.unpack_from(">H", ip, 4)[0]]
    if proto == 17 and len(l4) >= 8:
        return 17, *struct.unpack_from(">HH", l4, 0), l4[8:]
    if proto == 6 and len(l4) >= 20:
        return 6, *struct.unpack_from(">HH", l4, 0), l4[(l4[12] >> 4) * 4:]
    return None


def write(target, name, data):
    d = os.path.join(OUT, target)
    os.makedirs(d, exist_ok=True)
    open(os.path.join(d, name), "wb").write(data)


def cut_pcap(path, limit):
    b = open(path, "rb").read()
    o = 24
    while o + 16 <= len(b):
        n = o + 16 + struct.unpack_from("<I", b, o + 8)[0]
        if n > limit:
            break
        o = n
    return b[:o]


def cut_pcapng(path, limit):
    b = open(path, "rb").read()
    o = 0
    while o + 12 <= len(b):
        n = o + struct.unpack_from("<I", b, o + 4)[0]
        if n > limit:
            break
        o = n
    return b[:o]


def payloads(path, proto, ports, count):
    seen, out = set(), []
    for lt, f in records(path):
        ip = ip_of(lt, f)
        t = ip and transport(ip)
        if t and t[0] == proto and (t[1] in ports or t[2] in ports) and t[3] and t[3] not in seen:
            seen.add(t[3])
            out.append(t[3])
            if len(out) == count:
                break
    return out


def steps(data, size, direction=1):
    """Steps of the stream targets' layout (direction, length byte, bytes) for data cut into chunks of size."""
    out = bytearray()
    for i in range(0, len(data), size):
        chunk = data[i:i + size]
        out += bytes([direction, len(chunk)]) + chunk
    return bytes(out)


def main():
    # capture readers
    write("CaptureFuzzTestInputs/pcap", "mqtt-head.pcap", cut_pcap(f"{FIX}/mqtt.pcap", 2500))
    write("CaptureFuzzTestInputs/pcap", "mqttsn-nsec-head.pcap", cut_pcap(f"{FIX}/mqttsn-nsec.pcap", 1500))
    write("CaptureFuzzTestInputs/pcapng", "dns-head.pcapng", cut_pcapng(f"{FIX}/dns.pcapng", 2500))
    write("CaptureFuzzTestInputs/pcapng", "sll2-head.pcapng", cut_pcapng(f"{FIX}/sll2-any.pcapng", 2000))
    write("CaptureFuzzTestInputs/gzip", "coap-head.pcapng.gz",
          gzip.compress(cut_pcapng(f"{FIX}/coap.pcapng", 3000), mtime=0))

    # engine: settings byte, then per packet kind 0 (raw), length (2 bytes), the IP packet, no cut (1)
    for name, path, n in [("mqtt", "mqtt.pcapng", 24), ("dns", "dns.pcapng", 8), ("coap", "coap.pcapng", 10),
                          ("fragments", "fragments.pcapng", 8), ("ipv6", "ipv6.pcapng", 10),
                          ("mqttsn", "mqttsn.pcapng", 12)]:
        seed = bytearray([0])
        for lt, f in records(f"{FIX}/{path}"):
            ip = ip_of(lt, f)
            if ip is None or len(ip) > 300 or len(seed) > 3000:
                continue
            seed += bytes([0]) + struct.pack(">H", len(ip)) + ip + bytes([1])
            n -= 1
            if n == 0:
                break
        write("EngineFuzzTestInputs/rawIpCapture", name, bytes(seed))

    # datagram decoders
    for i, p in enumerate(payloads(f"{FIX}/dns.pcapng", 17, (53, 5353), 6)):
        write("DecoderFuzzTestInputs/dns", f"dns-{i}", p)
    for i, p in enumerate(payloads(f"{FIX}/coap.pcapng", 17, (5683,), 8)):
        write("DecoderFuzzTestInputs/coap", f"coap-{i}", p)
    for i, p in enumerate(payloads(f"{FIX}/mqttsn.pcapng", 17, (1885,), 10)):
        write("DecoderFuzzTestInputs/mqttsn", f"mqttsn-{i}", p)
    # RFC 1035 section 4.1.4: a name compressed with a pointer (F.ISI.ARPA, FOO.F.ISI.ARPA)
    write("DecoderFuzzTestInputs/dns", "rfc1035-compression",
          bytes.fromhex("1234 0100 0002 0000 0000 0000" "01 46 03 49 53 49 04 41 52 50 41 00 0001 0001"
                        "03 46 4f 4f c0 0c 0001 0001".replace(" ", "")))
    # RFC 7252 appendix A: GET /temperature, CON, MID 0x7d34, no token
    write("DecoderFuzzTestInputs/coap", "rfc7252-get",
          bytes.fromhex("40 01 7d 34 bb 74 65 6d 70 65 72 61 74 75 72 65".replace(" ", "")))

    # MQTT stream: settings byte, then per segment direction (1 = client), length (1 byte), bytes
    for name, path, port in [("mqtt", "mqtt.pcapng", 1883), ("mqtt-segments", "mqtt-segments.pcapng", 1883)]:
        seed = bytearray([0])
        for lt, f in records(f"{FIX}/{path}"):
            ip = ip_of(lt, f)
            t = ip and transport(ip)
            if not t or t[0] != 6 or not t[3] or len(t[3]) > 255:
                continue
            seed += bytes([1 if t[2] == port else 0, len(t[3])]) + t[3]
            if len(seed) > 3000:
                break
        write("MqttStreamFuzzTestInputs/feed", name, bytes(seed))

    # WebSocket: the same layout (settings byte, then direction, length, bytes), from the connections of the
    # MQTT-over-WebSocket capture: its handshake, masked client frames, fragments, several packets per frame
    for name, port, limit in [("mqtt-ws-9001", 9001, 2500), ("mqtt-ws-8080", 8080, 1500)]:
        seed = bytearray([0])
        for lt, f in records("fixtures/websocket/mqtt-ws.pcapng"):
            ip = ip_of(lt, f)
            t = ip and transport(ip)
            if not t or t[0] != 6 or not t[3] or len(t[3]) > 255 or port not in (t[1], t[2]):
                continue
            seed += bytes([1 if t[2] == port else 0, len(t[3])]) + t[3]
            if len(seed) > limit:
                break
        write("WebSocketFuzzTestInputs/feed", name, bytes(seed))

    # WebSocket frames alone: one direction after its handshake head (settings 2: the client's, masked; 4: the
    # server's), the mqtt-ws 9001 connection of paho (the first), one step per TCP segment cut to 255 bytes
    streams = {True: bytearray(), False: bytearray()}
    conn = None
    for lt, f in records("fixtures/websocket/mqtt-ws.pcapng"):
        ip = ip_of(lt, f)
        t = ip and transport(ip)
        if not t or t[0] != 6 or not t[3] or 9001 not in (t[1], t[2]):
            continue
        client_port = t[1] if t[2] == 9001 else t[2]
        conn = conn or client_port
        if client_port == conn:
            streams[t[2] == 9001] += t[3]
    for name, client, settings in [("mqtt-ws-client", True, 2), ("mqtt-ws-server", False, 4)]:
        body = bytes(streams[client][streams[client].index(b"\r\n\r\n") + 4:])[:2000]
        write("WebSocketFuzzTestInputs/frames", name, bytes([settings]) + steps(body, 255))

    # TLS 1.3 with KeyUpdates (the first connection of fixtures/tls/tls13-keyupdate.pcapng, AES-256-GCM) for
    # TlsSessionFuzzTest#feed with keys (settings 1): direction, length, bytes per step, segments cut to 255 bytes
    seed, conn = bytearray([1]), None
    for lt, f in records("fixtures/tls/tls13-keyupdate.pcapng"):
        ip = ip_of(lt, f)
        t = ip and transport(ip)
        if not t or t[0] != 6 or not t[3]:
            continue
        client_port = t[1] if t[2] == 4433 else t[2]
        conn = conn or client_port
        if client_port == conn:
            seed += steps(t[3], 255, 1 if t[2] == 4433 else 0)
    write("TlsSessionFuzzTestInputs/feed", "tls13-keyupdate", bytes(seed))

    # DTLS with fragmented handshake messages (the PSK association of fixtures/tls/dtls-fragments.pcapng) for
    # TlsSessionFuzzTest#dtls: one step per datagram
    seed, client = bytearray([0]), None
    for lt, f in records("fixtures/tls/dtls-fragments.pcapng"):
        ip = ip_of(lt, f)
        t = ip and transport(ip)
        if not t or t[0] != 17 or not t[3]:
            continue
        client = client or t[1]
        if client not in (t[1], t[2]):
            break   # the second association
        seed += bytes([1 if t[1] == client else 0, len(t[3])]) + t[3]
    write("TlsSessionFuzzTestInputs/dtls", "dtls-fragments-psk", bytes(seed))


if __name__ == "__main__":
    sys.exit(main())
