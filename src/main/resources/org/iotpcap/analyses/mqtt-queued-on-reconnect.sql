-- name: mqtt-queued-on-reconnect
-- question: Which persistent sessions received queued messages when their client reconnected?
-- description: Sessions (mqtt_sessions) that a client resumed (Clean Session 0 in 3.1.1, Clean Start 0 in 5.0,
-- description: answered Session Present) and whose new connection brought messages published while no connection
-- description: held the session (mqtt_deliveries.kind = 'queued': the client PUBLISH it forwards came before the
-- description: CONNECT), through subscriptions the session kept. One row per resuming connection; the answer is
-- description: the number of sessions.
-- param: broker addresses any  the broker: a DNS name answered in the capture, local, any, or addresses
-- answer: count(DISTINCT (capture, session))
-- Where the rules live: sessions, Session Present and kind are decided in Java (semantic/MqttSessions and
-- MqttModel); the deliveries name the client PUBLISH they forward (source_stream, source_frame).
SELECT s.client_key AS client, d.session, d.broker, d.broker_port, d.stream, c.connect_frame,
       count(*) AS queued_deliveries,
       string_agg(DISTINCT d.topic, ' ' ORDER BY d.topic) AS topics,
       string_agg(DISTINCT s2.filter, ' ' ORDER BY s2.filter) AS through_filters,
       min(d.source_frame) AS first_published_frame, min(d.frame) AS first_delivery_frame,
       s.protocol_level, s.expiry_interval, d.capture
FROM mqtt_deliveries d
JOIN mqtt_sessions s ON s.capture = d.capture AND s.session = d.session
JOIN mqtt_connections c ON c.capture = d.capture AND c.stream = d.stream
LEFT JOIN mqtt_subscriptions s2 ON s2.capture = d.capture AND s2.subscription = d.subscription
WHERE d.kind = 'queued' AND in_broker(d.broker)
GROUP BY s.client_key, d.session, d.broker, d.broker_port, d.stream, c.connect_frame, s.protocol_level,
         s.expiry_interval, d.capture
ORDER BY d.capture, first_delivery_frame
