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
-- Portable SQL (DuckDB and Spark, docs/spark.md): each ordered string_agg is taken in a grouping of its own,
-- since Spark cannot plan two DISTINCT ... WITHIN GROUP aggregates in one SELECT; (capture, session, stream)
-- is the same grouping as the columns shown, which a session and a connection determine.
WITH queued AS (
    SELECT s.client_key, d.session, d.broker, d.broker_port, d.stream, c.connect_frame, d.topic, s2.filter,
           d.source_frame, d.frame, s.protocol_level, s.expiry_interval, d.capture
    FROM mqtt_deliveries d
    JOIN mqtt_sessions s ON s.capture = d.capture AND s.session = d.session
    JOIN mqtt_connections c ON c.capture = d.capture AND c.stream = d.stream
    LEFT JOIN mqtt_subscriptions s2 ON s2.capture = d.capture AND s2.subscription = d.subscription
    WHERE d.kind = 'queued' AND in_broker(d.broker)
),
topics AS (
    SELECT capture, session, stream, string_agg(DISTINCT topic, ' ' ORDER BY topic) AS topics
    FROM queued GROUP BY capture, session, stream
),
filters AS (
    SELECT capture, session, stream, string_agg(DISTINCT filter, ' ' ORDER BY filter) AS through_filters
    FROM queued GROUP BY capture, session, stream
)
SELECT q.client_key AS client, q.session, q.broker, q.broker_port, q.stream, q.connect_frame,
       count(*) AS queued_deliveries, max(t.topics) AS topics, max(f.through_filters) AS through_filters,
       min(q.source_frame) AS first_published_frame, min(q.frame) AS first_delivery_frame,
       q.protocol_level, q.expiry_interval, q.capture
FROM queued q
JOIN topics t ON t.capture = q.capture AND t.session = q.session AND t.stream = q.stream
JOIN filters f ON f.capture = q.capture AND f.session = q.session AND f.stream = q.stream
GROUP BY q.client_key, q.session, q.broker, q.broker_port, q.stream, q.connect_frame, q.protocol_level,
         q.expiry_interval, q.capture
ORDER BY q.capture, first_delivery_frame
