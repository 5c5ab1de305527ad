-- name: mqtt-unreceived-publishes
-- question: Which published messages reached no subscriber?
-- description: Client PUBLISHes to the broker that no delivery of the broker forwards (no mqtt_deliveries row
-- description: names them as its source: live, queued for a session, or stored as retained and sent to a later
-- description: subscription). holders: the sessions that held a granted subscription matching the topic when it
-- description: was published (by filter; a shared one by its filter after the ShareName), and so would have
-- description: received it but for QoS 0 while away, No Local, expiry or a broker's ACL; 0 when nobody
-- description: subscribed. An empty retained PUBLISH (which clears the stored message) is listed too.
-- param: broker addresses any  the broker: a DNS name answered in the capture, local, any, or addresses
-- Where the rules live: the source of each delivery is decided in Java (semantic/MqttPublishes, MqttModel);
-- holders uses topic_matches, the copy of TopicFilter.matches that TopicFilterMacroPropertiesTest holds equal
-- to it, on mqtt_subscriptions.topic_filter (TopicFilter.topicFilter).
WITH publishes AS (
    SELECT m.capture, m.stream, m.stream_offset, m.frame, m.end_frame, m.src AS client, m.src_port AS client_port,
           m.dst AS broker, m.dst_port AS broker_port, m.topic, m.qos, m.retain, m.payload_length, m.payload_text
    FROM mqtt_messages m
    WHERE m.type = 'PUBLISH' AND m.direction = 'c2s' AND in_broker(m.dst)
      AND NOT EXISTS (SELECT 1 FROM mqtt_deliveries d
                      WHERE d.capture = m.capture AND d.source_stream = m.stream AND d.source_offset = m.stream_offset)
)
SELECT p.frame, p.end_frame, c.client_key AS publisher, p.broker, p.broker_port, p.topic, p.qos, p.retain, p.payload_length,
       p.payload_text,
       (SELECT max(x.number_value) FROM mqtt_properties x
        WHERE x.capture = p.capture AND x.stream = p.stream AND x.stream_offset = p.stream_offset
          AND x.direction = 'c2s' AND x.id = 2) AS message_expiry,
       (SELECT count(DISTINCT s.session) FROM mqtt_subscriptions s
        WHERE s.capture = p.capture AND s.broker = p.broker AND s.broker_port = p.broker_port AND s.granted
          AND s.subscribe_frame < p.frame AND (s.removed_frame IS NULL OR s.removed_frame > p.frame)
          AND topic_matches(s.topic_filter, p.topic)) AS holders,
       p.stream, p.capture
FROM publishes p
JOIN mqtt_connections c ON c.capture = p.capture AND c.stream = p.stream
ORDER BY p.capture, p.frame, p.stream_offset
