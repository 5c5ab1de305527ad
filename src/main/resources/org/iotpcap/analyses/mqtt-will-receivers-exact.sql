-- name: mqtt-will-receivers-exact
-- question: How many MQTT subscribers receive a last will message derived from a subscription without a wildcard?
-- description: Clients to which the broker delivers a will (a PUBLISH with the topic and payload of the will of a
-- description: connection that ended without DISCONNECT) while holding, in their session, a subscription without
-- description: wildcards equal to the topic (made on that connection or, for a persistent session, on an earlier
-- description: connection of the same client to the broker and not removed: mqtt_sessions). Rows with
-- description: delivered = false are subscribers whose sessions held such a subscription when the will fired but
-- description: show no delivery in the capture; they are not counted.
-- param: broker addresses any  the broker: a DNS name answered in the capture, local, any, or addresses
-- answer: count(*) FILTER (WHERE delivered)
-- Where the rules live. "Delivered" is decided in Java (semantic/MqttModel, mqtt_deliveries.is_will and
-- exact_match): a will delivery is a PUBLISH from the broker with the topic and payload of the will of a
-- connection that ended without DISCONNECT, and the receiving session's subscriptions (semantic/MqttSessions:
-- a persistent session keeps them across its connections, and so do their mqtt_subscriptions rows) are matched with
-- TopicFilter.matches and classified with TopicFilter.wildcard. "Would receive" is decided here, in SQL, by the same two rules: the wildcard column of
-- mqtt_subscriptions (written by TopicFilter.wildcard) and the topic_matches macro, which
-- TopicFilterMacroPropertiesTest holds equal to TopicFilter.matches.
WITH delivered AS (
    SELECT capture, client_key, broker, broker_port, true AS delivered,
           string_agg(DISTINCT topic, ' ' ORDER BY topic) AS will_topics,
           count(*) AS will_deliveries,
           min(frame) AS first_frame
    FROM mqtt_deliveries
    WHERE is_will AND exact_match AND in_broker(broker)
    GROUP BY capture, client_key, broker, broker_port
),
would_receive AS (
    SELECT s.capture, s.client_key, s.broker, s.broker_port, false AS delivered,
           string_agg(DISTINCT w.will_topic, ' ' ORDER BY w.will_topic) AS will_topics,
           0 AS will_deliveries,
           min(w.fired_frame) AS first_frame
    FROM mqtt_wills w
    JOIN mqtt_subscriptions s
      ON s.capture = w.capture AND s.broker = w.broker AND s.broker_port = w.broker_port
     -- topic_matches decides; for a filter without wildcards it implies filter = topic, which DuckDB can hash on
     -- (a quarter less CPU for this query on a 1 GB capture)
     AND s.wildcard = 'none' AND s.filter = w.will_topic AND topic_matches(s.filter, w.will_topic) AND s.granted
     AND s.subscribe_frame < w.fired_frame
     AND (s.removed_frame IS NULL OR s.removed_frame > w.fired_frame)
    WHERE w.fired AND in_broker(w.broker)
      AND NOT EXISTS (SELECT 1 FROM delivered d
                      WHERE d.capture = s.capture AND d.client_key = s.client_key AND d.broker = s.broker AND d.broker_port = s.broker_port)
    GROUP BY s.capture, s.client_key, s.broker, s.broker_port
)
SELECT client_key AS client, broker, broker_port, delivered, will_topics, will_deliveries, first_frame, capture
FROM (SELECT * FROM delivered UNION ALL SELECT * FROM would_receive)
ORDER BY delivered DESC, capture, first_frame
