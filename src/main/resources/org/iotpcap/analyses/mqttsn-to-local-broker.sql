-- name: mqttsn-to-local-broker
-- question: How many MQTT-SN messages on port 1885 are sent by the clients to a broker in the local machine?
-- description: MQTT-SN messages (several in one datagram count separately) in UDP datagrams sent to the broker's
-- description: addresses on the given port.
-- param: broker addresses local  the broker or gateway: local, any, a DNS name answered in the capture, or addresses
-- param: port int 1885  the UDP port (decoded as MQTT-SN)
-- decode: udp.port==${port}:mqttsn
SELECT frame, index_in_datagram, src, src_port, dst, dst_port, type, topic_id, msg_id, capture
FROM mqttsn_messages
WHERE in_broker(dst) AND dst_port = ${port}
ORDER BY capture, frame, index_in_datagram
