-- name: mqtt-incomplete-qos-flows
-- question: How many publishes with QoS 1 don't receive the ACK?
-- description: QoS 1 and 2 PUBLISH flows (one per PUBLISH and packet identifier on a connection and direction; a
-- description: DUP re-send is the same flow) that did not complete (MQTT 4.3): no PUBACK for QoS 1, no PUBCOMP for
-- description: QoS 2. stopped_after names the last step seen (publish, pubrec or pubrel). direction c2s keeps the
-- description: clients' publishes to the broker, s2c the broker's deliveries to subscribers.
-- param: broker addresses any  the broker: a DNS name answered in the capture, local, any, or addresses
-- param: qos choice(1|2|any) 1  the QoS of the PUBLISH: 1, 2 or any (both)
-- param: direction choice(any|c2s|s2c) any  c2s (client to broker), s2c (broker to client) or any
SELECT stream, direction, client_key, broker, broker_port, packet_id, qos, topic, dup_copies,
       publish_frame, puback_frame, pubrec_frame, pubrel_frame, stopped_after, capture
FROM mqtt_qos_flows
WHERE NOT complete
  AND in_broker(broker)
  AND (${qos} = 'any' OR qos = TRY_CAST(${qos} AS INTEGER))
  AND (${direction} = 'any' OR direction = ${direction})
ORDER BY capture, publish_frame
