-- name: mqtt-topic-levels
-- question: How many publish messages directed to the local broker are there, by number of topic levels (a histogram)?
-- description: PUBLISH messages sent by clients to the broker's addresses (direction c2s; the broker's deliveries
-- description: are not counted), grouped by the number of levels of their topic (split on '/', topic_levels).
-- description: Each row is a bar of the histogram; the answer is the number of publishes considered.
-- param: broker addresses local  the broker: a DNS name answered in the capture, local, any, or addresses
-- answer: coalesce(sum(publishes), 0)
SELECT topic_levels(topic) AS levels,
       count(*) AS publishes,
       count(DISTINCT topic) AS topics,
       min(topic) AS example_topic
FROM mqtt_messages
WHERE type = 'PUBLISH' AND direction = 'c2s' AND in_broker(dst)
GROUP BY levels
ORDER BY levels
