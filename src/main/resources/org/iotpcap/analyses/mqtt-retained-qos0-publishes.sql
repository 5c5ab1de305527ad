-- name: mqtt-retained-qos0-publishes
-- question: How many MQTT publish messages directed to the public broker mosquitto are sent with the retain option and use QoS "At most once"?
-- description: PUBLISH messages (control packets of the rebuilt TCP streams; a retransmission is not a message)
-- description: sent by clients to the broker's addresses with the given RETAIN flag and QoS (the broker's own
-- description: PUBLISHes to its subscribers, such as retained messages it forwards, are not counted).
-- param: broker addresses test.mosquitto.org  the broker: a DNS name answered in the capture, local, any, or addresses
-- param: qos int 0  the QoS level (0, 1 or 2)
-- param: retain bool true  the RETAIN flag
SELECT stream, frame, end_frame, src AS client, src_port AS client_port, dst AS broker, dst_port AS broker_port,
       topic, qos, retain, dup, payload_length, capture
FROM mqtt_messages
WHERE type = 'PUBLISH'
  AND direction = 'c2s'
  AND in_broker(dst)
  AND qos = ${qos}
  AND retain = ${retain}
ORDER BY capture, frame, end_frame
