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
-- Portable SQL (DuckDB and Spark, docs/spark.md): the distinct receivers of a topic are counted in a grouping
-- of their own rather than through DuckDB's list functions.
WITH publishes AS (
    SELECT m.capture, m.stream, m.stream_offset, m.dst AS broker, m.dst_port AS broker_port, m.topic, m.frame
    FROM mqtt_messages m
    WHERE m.type = 'PUBLISH' AND m.direction = 'c2s' AND in_broker(m.dst)
),
per_publish AS (
    SELECT p.capture, p.broker, p.broker_port, p.topic, p.frame, count(d.frame) AS deliveries,
           count(d.frame) FILTER (WHERE d.kind = 'retained') AS retained,
           count(d.frame) FILTER (WHERE d.kind = 'queued') AS queued
    FROM publishes p
    LEFT JOIN mqtt_deliveries d
      ON d.capture = p.capture AND d.source_stream = p.stream AND d.source_offset = p.stream_offset
    GROUP BY p.capture, p.stream, p.stream_offset, p.broker, p.broker_port, p.topic, p.frame
),
receivers AS (
    SELECT p.capture, p.broker, p.broker_port, p.topic, count(DISTINCT d.client_key) AS receivers
    FROM publishes p
    JOIN mqtt_deliveries d
      ON d.capture = p.capture AND d.source_stream = p.stream AND d.source_offset = p.stream_offset
    GROUP BY p.capture, p.broker, p.broker_port, p.topic
)
SELECT pp.broker, pp.broker_port, pp.topic, count(*) AS publishes, sum(pp.deliveries) AS deliveries,
       coalesce(max(r.receivers), 0) AS receivers,
       round(avg(pp.deliveries), 2) AS mean_fan_out, max(pp.deliveries) AS max_fan_out,
       sum(pp.retained) AS retained_deliveries, sum(pp.queued) AS queued_deliveries,
       min(pp.frame) AS first_frame, pp.capture
FROM per_publish pp
LEFT JOIN receivers r
  ON r.capture = pp.capture AND r.broker = pp.broker AND r.broker_port = pp.broker_port
 AND r.topic IS NOT DISTINCT FROM pp.topic
GROUP BY pp.capture, pp.broker, pp.broker_port, pp.topic
ORDER BY pp.capture, first_frame
