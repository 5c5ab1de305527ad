#!/usr/bin/env python3
"""Messages per protocol as tshark 4.0 dissects them, in iotpcap's terms (stdlib only).

  bench/tshark_counts.py CAPTURE   ->  {"dns": n, "coap": n, "mqtt": n, "mqttsn": n} on stdout (JSON)

One tshark pass with desegmentation on and the fixtures' bindings. Counted as iotpcap counts: every value of
dns.flags.response, coap.type and mqtt.msgtype is a message (several MQTT packets in one frame give several
values); an MQTT-SN Forwarder Encapsulation (0xfe) and the message it carries are one message
(docs/tshark-differences-mqttsn.md, section 2).
"""
import json
import subprocess
import sys

DECODE = ["-d", "udp.port==1885,mqttsn", "-d", "udp.port==5699,coap"]


def counts(cap):
    cmd = ["tshark", "-r", cap, "-o", "tcp.desegment_tcp_streams:TRUE", *DECODE, "-Y", "dns or coap or mqtt or mqttsn",
           "-T", "fields", "-E", "separator=\t", "-e", "dns.flags.response", "-e", "coap.type", "-e", "mqtt.msgtype",
           "-e", "mqttsn.msg.type"]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    c = {"dns": 0, "coap": 0, "mqtt": 0, "mqttsn": 0}
    for line in out.splitlines():
        f = (line.split("\t") + ["", "", "", ""])[:4]
        for key, v in zip(("dns", "coap", "mqtt"), f[:3]):
            if v:
                c[key] += len(v.split(","))
        if f[3]:
            types = f[3].split(",")
            c["mqttsn"] += len(types) - types.count("0xfe")
    return c


if __name__ == "__main__":
    print(json.dumps(counts(sys.argv[1])))
