#!/usr/bin/python3
"""The notebook's way (scapy, one packet at a time): count retained QoS 0 MQTT PUBLISH packets to port 1883.

  /usr/bin/python3 bench/scapy_notebook.py CAPTURE

Per packet, no TCP reassembly: it looks at the first byte of each TCP payload to port 1883 (0x31 = PUBLISH,
QoS 0, RETAIN), as the course notebook did. This is the peer the benchmark times, not a correct answer.
"""
import sys

from scapy.all import PcapNgReader, TCP, Raw

n = 0
frames = 0
with PcapNgReader(sys.argv[1]) as r:
    for pkt in r:
        frames += 1
        if TCP in pkt and pkt[TCP].dport == 1883 and Raw in pkt:
            if pkt[Raw].load[:1] == b"\x31":
                n += 1
print(f"frames={frames} retained_qos0_publishes={n}")
