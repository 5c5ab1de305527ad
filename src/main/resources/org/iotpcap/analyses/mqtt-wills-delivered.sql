-- name: mqtt-wills-delivered
-- question: How many last will messages with QoS set to 0 are actually delivered?
-- description: Deliveries of will messages: PUBLISHes from the broker to a client whose topic and payload are those
-- description: of the will of a connection to the same broker that ended without DISCONNECT before the delivery
-- description: (mqtt_deliveries.is_will). One row per delivery, with the receiver, the QoS and RETAIN it was
-- description: delivered with, the QoS and RETAIN the will asked for, and the subscriptions that matched it.
-- description: will_qos filters on the Will QoS of the CONNECT, qos on the QoS of the delivered PUBLISH.
-- param: broker addresses any  the broker: a DNS name answered in the capture, local, any, or addresses
-- param: will_qos choice(any|0|1|2) any  the Will QoS the client set in its CONNECT
-- param: qos choice(any|0|1|2) any  the QoS of the delivered PUBLISH (at most the subscription's)
-- Where the rules live. Every column here is decided in Java (semantic/MqttModel): whether a PUBLISH from the
-- broker is a will (is_will: the topic and payload of the will of a connection to that broker that ended without
-- DISCONNECT) and which subscriptions it matched (matching_filters, exact_match, wildcard_match: TopicFilter.matches
-- and TopicFilter.wildcard). Asking which subscribers WOULD receive a will is mqtt-will-receivers-exact's rows with
-- delivered = false, decided in SQL with topic_matches, the copy of TopicFilter.matches that
-- TopicFilterMacroPropertiesTest holds equal to it.
SELECT d.frame, d.client_key AS receiver, d.broker, d.broker_port, d.topic, d.qos, d.retain,
       w.will_qos, w.will_retain, w.client_key AS will_client, w.stream AS will_stream, w.fired_frame,
       d.matching_filters, d.exact_match, d.wildcard_match, d.capture
FROM mqtt_deliveries d
JOIN mqtt_wills w ON w.capture = d.capture AND w.stream = d.will_stream
WHERE d.is_will
  AND in_broker(d.broker)
  AND (${will_qos} = 'any' OR w.will_qos = TRY_CAST(${will_qos} AS INTEGER))
  AND (${qos} = 'any' OR d.qos = TRY_CAST(${qos} AS INTEGER))
ORDER BY d.capture, d.frame
