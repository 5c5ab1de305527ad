-- name: mqtt-wildcard-subscribers
-- question: How many different MQTT clients subscribe to the public broker HiveMQ using multi-level wildcards?
-- description: Clients (client identifier, or the connection's client endpoint where there is none) that sent to the
-- description: broker's addresses a SUBSCRIBE with a topic filter holding the wildcard as a whole level.
-- param: broker addresses broker.hivemq.com  the broker: a DNS name answered in the capture, local, any, or addresses
-- param: wildcard choice(#|+|any) #  which wildcard: # (multi-level), + (single-level) or any
-- Where the rule lives: the wildcard column (none, #, + or +#) is written by TopicFilter.wildcard in Java.
SELECT client_key AS client,
       count(*) AS wildcard_filters,
       string_agg(DISTINCT filter, ' ' ORDER BY filter) AS filters,
       min(subscribe_frame) AS first_subscribe_frame,
       capture
FROM mqtt_subscriptions
WHERE in_broker(broker)
  AND CASE ${wildcard}
        WHEN '#' THEN wildcard IN ('#', '+#')
        WHEN '+' THEN wildcard IN ('+', '+#')
        ELSE wildcard <> 'none'
      END
GROUP BY capture, client_key
ORDER BY capture, first_subscribe_frame
