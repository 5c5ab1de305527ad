-- name: mqtt-wildcard-receivers
-- question: Considering the clients that subscribe to a broker using wildcards, how many of them WOULD receive a publish message directed to a given topic?
-- description: Clients (client_key) holding on the broker a subscription whose filter has the wildcard kind as a
-- description: whole level. would_receive: one of the client's granted subscriptions on that broker matches the
-- description: topic level by level (MQTT 4.7, topic_matches; a shared subscription by its filter after the
-- description: ShareName), whether or not anything was published to it.
-- description: Only those are counted; the others are listed with would_receive = false.
-- param: broker addresses any  the broker: a DNS name answered in the capture, local, any, or addresses
-- param: wildcard choice(#|+|any) any  which wildcard the client's subscription uses: #, + or any
-- answer: count(*) FILTER (WHERE would_receive)
-- param: topic text metaverse/facility4/area0/light  the topic of the hypothetical publish
-- Where the rules live: the wildcard column (none, #, + or +#) is written by TopicFilter.wildcard in Java;
-- would_receive uses topic_matches, the SQL copy of TopicFilter.matches that TopicFilterMacroPropertiesTest holds
-- equal to it (a hypothetical topic has no delivery for Java to decide), on topic_filter (TopicFilter.topicFilter).
WITH wildcard_clients AS (
    SELECT capture, client_key, broker, broker_port, min(subscribe_frame) AS first_subscribe_frame
    FROM mqtt_subscriptions
    WHERE in_broker(broker)
      AND CASE ${wildcard}
            WHEN '#' THEN wildcard IN ('#', '+#')
            WHEN '+' THEN wildcard IN ('+', '+#')
            ELSE wildcard <> 'none'
          END
    GROUP BY capture, client_key, broker, broker_port
)
SELECT w.client_key AS client, w.broker, w.broker_port,
       count(s.filter) > 0 AS would_receive,
       string_agg(DISTINCT s.filter, ' ' ORDER BY s.filter) AS matching_filters,
       w.first_subscribe_frame, w.capture
FROM wildcard_clients w
LEFT JOIN mqtt_subscriptions s
  ON s.capture = w.capture AND s.client_key = w.client_key AND s.broker = w.broker AND s.broker_port = w.broker_port
 AND s.granted AND topic_matches(s.topic_filter, ${topic})
GROUP BY ALL
ORDER BY would_receive DESC, w.capture, w.first_subscribe_frame
