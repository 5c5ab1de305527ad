-- name: mqtt-will-first-level
-- question: How many different MQTT clients specify a last Will Message to be directed to a topic having as first level "university"?
-- description: Clients (per broker) whose CONNECT has the Will flag and a will topic whose first level (the text
-- description: before the first '/') equals the given word exactly.
-- param: level text university  the first topic level to match exactly
SELECT client_key AS client, broker, broker_port,
       count(*) AS connections,
       string_agg(DISTINCT will_topic, ' ' ORDER BY will_topic) AS will_topics,
       min(connect_frame) AS first_connect_frame,
       capture
FROM mqtt_connections
WHERE will_flag
  AND split_part(will_topic, '/', 1) = ${level}
GROUP BY capture, client_key, broker, broker_port
ORDER BY capture, first_connect_frame
