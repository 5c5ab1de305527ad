-- name: mqtt-topic-fan-out
-- question: How many subscribers does each topic's publish reach (fan-out per topic)?
-- description: Per broker and topic, the client PUBLISHes to it and the broker's deliveries that forward them
-- description: (mqtt_deliveries naming the PUBLISH as its source): deliveries, distinct receiving clients, the
-- description: mean and largest number of deliveries per PUBLISH, and how many were retained messages sent to new
-- description: subscriptions or messages queued for a session. A shared subscription's group receives each
-- description: message once. The answer is the number of topics published to.
-- param: broker addresses any  the broker: a DNS name answered in the capture, local, any, or addresses
-- Where the rules live: the source of each delivery and its kind are decided in Java (semantic/MqttPublishes,
-- MqttModel); this query only counts.
WITH publishes AS (
    SELECT m.capture, m.stream, m.stream_offset, m.dst AS broker, m.dst_port AS broker_port, m.topic, m.frame
    FROM mqtt_messages m
    WHERE m.type = 'PUBLISH' AND m.direction = 'c2s' AND in_broker(m.dst)
),
per_publish AS (
    SELECT p.capture, p.broker, p.broker_port, p.topic, p.frame, count(d.frame) AS deliveries,
           count(d.frame) FILTER (WHERE d.kind = 'retained') AS retained,
           count(d.frame) FILTER (WHERE d.kind = 'queued') AS queued,
           list(d.client_key) FILTER (WHERE d.client_key IS NOT NULL) AS receivers
    FROM publishes p
    LEFT JOIN mqtt_deliveries d
      ON d.capture = p.capture AND d.source_stream = p.stream AND d.source_offset = p.stream_offset
    GROUP BY p.capture, p.stream, p.stream_offset, p.broker, p.broker_port, p.topic, p.frame
)
SELECT broker, broker_port, topic, count(*) AS publishes, sum(deliveries) AS deliveries,
       len(list_distinct(flatten(list(receivers)))) AS receivers,
       round(avg(deliveries), 2) AS mean_fan_out, max(deliveries) AS max_fan_out,
       sum(retained) AS retained_deliveries, sum(queued) AS queued_deliveries,
       min(frame) AS first_frame, capture
FROM per_publish
GROUP BY capture, broker, broker_port, topic
ORDER BY capture, first_frame
