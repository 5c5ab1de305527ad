-- name: mqtt-retained-at-subscribe
-- question: Which subscribers got a retained message when they subscribed, and from whom?
-- description: Deliveries of a stored retained message to a new subscription (mqtt_deliveries.kind = 'retained':
-- description: RETAIN set, and not a live message that a Retain As Published subscription keeps RETAIN on), with
-- description: the subscription that caused it, the stored message (mqtt_retained: set by which client's PUBLISH,
-- description: or known only from a delivery when it was set before the capture) and its publisher. The answer
-- description: is the number of distinct subscribers (client_key per broker).
-- param: broker addresses any  the broker: a DNS name answered in the capture, local, any, or addresses
-- answer: count(DISTINCT (capture, receiver, broker, broker_port))
-- Where the rules live: kind, retained and subscription are decided in Java (semantic/MqttModel and
-- MqttRetainedStore: the store follows every retained PUBLISH, replaced by the next and cleared by an empty one).
SELECT d.frame, d.client_key AS receiver, d.broker, d.broker_port, d.topic, d.qos, d.payload_text,
       s.filter AS subscription_filter, s.subscribe_frame, s.retain_handling,
       r.client_key AS publisher, r.known_from, r.frame AS set_frame, r.ended_by AS stored_until,
       d.subscription_identifiers, d.capture
FROM mqtt_deliveries d
JOIN mqtt_retained r ON r.capture = d.capture AND r.retained = d.retained
LEFT JOIN mqtt_subscriptions s ON s.capture = d.capture AND s.subscription = d.subscription
WHERE d.kind = 'retained' AND in_broker(d.broker)
-- a frame can carry several retained messages to one subscriber: the stored message's number orders them
ORDER BY d.capture, d.frame, d.stream, d.retained
