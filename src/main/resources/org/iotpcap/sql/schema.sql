-- iotpcap tables. Every column is documented in docs/tables.md. Times are kept as nanoseconds since the
-- epoch (*_ns, exact) with a TIMESTAMP_NS column beside them (UTC).

CREATE TABLE frames (
  frame BIGINT, time_ns BIGINT,
  time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(time_ns)) VIRTUAL,
  interface INTEGER, cap_len INTEGER, len BIGINT,
  ip_version TINYINT, src VARCHAR, dst VARCHAR,
  transport VARCHAR, src_port INTEGER, dst_port INTEGER,
  stream BIGINT, protocol VARCHAR);

CREATE TABLE malformed (frame BIGINT, layer VARCHAR, reason VARCHAR, detail VARCHAR);

CREATE TABLE tcp_connections (
  stream BIGINT, client VARCHAR, client_port INTEGER, server VARCHAR, server_port INTEGER,
  handshake BOOLEAN, first_frame BIGINT, last_frame BIGINT, start_ns BIGINT, end_ns BIGINT,
  start_time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(start_ns)) VIRTUAL,
  end_time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(end_ns)) VIRTUAL,
  bytes_from_client BIGINT, bytes_from_server BIGINT, retransmissions BIGINT, gaps BIGINT,
  end_reason VARCHAR, protocol VARCHAR);

CREATE TABLE dns_messages (
  frame BIGINT, time_ns BIGINT,
  time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(time_ns)) VIRTUAL,
  transport VARCHAR, src VARCHAR, src_port INTEGER, dst VARCHAR, dst_port INTEGER,
  id INTEGER, response BOOLEAN, opcode INTEGER, rcode INTEGER, authoritative BOOLEAN, truncated BOOLEAN,
  qname VARCHAR, qtype INTEGER, questions INTEGER, answers INTEGER, authorities INTEGER, additionals INTEGER);

CREATE TABLE dns_answers (
  frame BIGINT, time_ns BIGINT,
  time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(time_ns)) VIRTUAL,
  section VARCHAR, name VARCHAR, type VARCHAR, type_code INTEGER, address VARCHAR, target VARCHAR, ttl BIGINT);

CREATE TABLE names (name VARCHAR, address VARCHAR, first_frame BIGINT, chain VARCHAR);

CREATE TABLE coap_messages (
  frame BIGINT, time_ns BIGINT,
  time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(time_ns)) VIRTUAL,
  src VARCHAR, src_port INTEGER, dst VARCHAR, dst_port INTEGER,
  type VARCHAR, code VARCHAR, code_class INTEGER, code_detail INTEGER, method VARCHAR, kind VARCHAR,
  mid INTEGER, token VARCHAR, token_length INTEGER,
  uri_host VARCHAR, uri_port INTEGER, path VARCHAR, query VARCHAR,
  content_format INTEGER, accept INTEGER, max_age BIGINT, observe BIGINT,
  block1_num BIGINT, block1_more BOOLEAN, block1_size INTEGER,
  block2_num BIGINT, block2_more BOOLEAN, block2_size INTEGER,
  size1 BIGINT, size2 BIGINT, etag VARCHAR, location_path VARCHAR, location_query VARCHAR, proxy_uri VARCHAR,
  no_response INTEGER, options VARCHAR,
  payload_length INTEGER, payload BLOB, payload_text VARCHAR);

CREATE TABLE coap_exchanges (
  client VARCHAR, client_port INTEGER, server VARCHAR, server_port INTEGER,
  mid INTEGER, token VARCHAR, type VARCHAR, method VARCHAR, code VARCHAR, path VARCHAR, query VARCHAR,
  uri_host VARCHAR, observe BIGINT,
  first_frame BIGINT, last_frame BIGINT, first_ns BIGINT,
  first_time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(first_ns)) VIRTUAL,
  requests INTEGER, retransmissions INTEGER,
  answered BOOLEAN, response_kind VARCHAR, response_frame BIGINT, response_ns BIGINT, response_type VARCHAR,
  response_code VARCHAR, response_class INTEGER, response_mid INTEGER, rtt_ms DOUBLE,
  acked BOOLEAN, ack_frame BIGINT, reset BOOLEAN);

CREATE TABLE mqtt_messages (
  stream BIGINT, frame BIGINT, end_frame BIGINT, time_ns BIGINT, end_ns BIGINT,
  time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(time_ns)) VIRTUAL,
  direction VARCHAR, src VARCHAR, src_port INTEGER, dst VARCHAR, dst_port INTEGER,
  protocol_level INTEGER, type VARCHAR, length INTEGER, remaining_length INTEGER,
  dup BOOLEAN, qos INTEGER, retain BOOLEAN, topic VARCHAR, topic_alias INTEGER, packet_id INTEGER,
  payload_length INTEGER, payload BLOB, payload_text VARCHAR,
  protocol_name VARCHAR, client_id VARCHAR, clean_session BOOLEAN, keep_alive INTEGER,
  will_flag BOOLEAN, will_qos INTEGER, will_retain BOOLEAN, will_topic VARCHAR, will_payload BLOB, will_payload_text VARCHAR,
  username VARCHAR, password_present BOOLEAN, password_length INTEGER, password VARCHAR,
  session_present BOOLEAN, return_code INTEGER, reason_code INTEGER,
  filters VARCHAR, filter_count INTEGER, codes VARCHAR, properties VARCHAR);

CREATE TABLE mqtt_connections (
  stream BIGINT, client VARCHAR, client_port INTEGER, broker VARCHAR, broker_port INTEGER,
  client_key VARCHAR, client_id VARCHAR, protocol_level INTEGER, protocol_name VARCHAR,
  clean_session BOOLEAN, keep_alive INTEGER,
  will_flag BOOLEAN, will_qos INTEGER, will_retain BOOLEAN, will_topic VARCHAR, will_payload BLOB, will_payload_text VARCHAR,
  username VARCHAR, password_present BOOLEAN,
  connect_frame BIGINT, connack_frame BIGINT, connack_code INTEGER,
  start_frame BIGINT, end_frame BIGINT, start_ns BIGINT, end_ns BIGINT,
  start_time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(start_ns)) VIRTUAL,
  end_time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(end_ns)) VIRTUAL,
  ended_by VARCHAR, disconnect_frame BIGINT, messages BIGINT);

CREATE TABLE mqtt_clients (
  client_key VARCHAR, client_id VARCHAR, broker VARCHAR, broker_port INTEGER, endpoint VARCHAR,
  connections INTEGER, first_frame BIGINT, last_frame BIGINT);

CREATE TABLE mqtt_subscriptions (
  stream BIGINT, client_key VARCHAR, broker VARCHAR, broker_port INTEGER,
  filter VARCHAR, qos INTEGER, no_local BOOLEAN, retain_as_published BOOLEAN, retain_handling INTEGER,
  wildcard VARCHAR, packet_id INTEGER, subscribe_frame BIGINT, subscribe_ns BIGINT,
  suback_frame BIGINT, suback_code INTEGER, granted BOOLEAN,
  removed_frame BIGINT, removed_by VARCHAR);

CREATE TABLE mqtt_deliveries (
  stream BIGINT, frame BIGINT, end_frame BIGINT, time_ns BIGINT,
  time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(time_ns)) VIRTUAL,
  client_key VARCHAR, broker VARCHAR, broker_port INTEGER,
  topic VARCHAR, qos INTEGER, retain BOOLEAN, dup BOOLEAN, packet_id INTEGER, payload_length INTEGER, payload_text VARCHAR,
  matching_filters VARCHAR, matches INTEGER, exact_match BOOLEAN, wildcard_match BOOLEAN,
  is_will BOOLEAN, will_stream BIGINT, will_client_key VARCHAR);

CREATE TABLE mqttsn_messages (
  frame BIGINT, time_ns BIGINT,
  time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(time_ns)) VIRTUAL,
  src VARCHAR, src_port INTEGER, dst VARCHAR, dst_port INTEGER, index_in_datagram INTEGER,
  type VARCHAR, type_code INTEGER, length INTEGER,
  dup BOOLEAN, qos INTEGER, retain BOOLEAN, will BOOLEAN, clean_session BOOLEAN, topic_id_type VARCHAR,
  topic_id INTEGER, topic_name VARCHAR, msg_id INTEGER, client_id VARCHAR, duration INTEGER,
  gateway_id INTEGER, return_code INTEGER, protocol_id INTEGER, radius INTEGER,
  data_length INTEGER, data BLOB, data_text VARCHAR, encapsulated BOOLEAN, wireless_node_id VARCHAR);

CREATE TABLE mqtt_wills (
  stream BIGINT, client_key VARCHAR, client_id VARCHAR, broker VARCHAR, broker_port INTEGER,
  will_topic VARCHAR, will_payload BLOB, will_payload_text VARCHAR, will_qos INTEGER, will_retain BOOLEAN,
  connect_frame BIGINT, fired BOOLEAN, fired_frame BIGINT, ended_by VARCHAR, deliveries BIGINT);

CREATE TABLE mqtt_qos_flows (
  stream BIGINT, direction VARCHAR, sender VARCHAR, sender_port INTEGER, receiver VARCHAR, receiver_port INTEGER,
  client_key VARCHAR, broker VARCHAR, broker_port INTEGER,
  packet_id INTEGER, qos INTEGER, topic VARCHAR, retain BOOLEAN, dup_copies INTEGER,
  publish_frame BIGINT, publish_ns BIGINT,
  publish_time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(publish_ns)) VIRTUAL,
  puback_frame BIGINT, pubrec_frame BIGINT, pubrel_frame BIGINT, pubcomp_frame BIGINT,
  complete BOOLEAN, stopped_after VARCHAR);

CREATE TABLE coap_notifications (
  client VARCHAR, client_port INTEGER, server VARCHAR, server_port INTEGER, token VARCHAR, path VARCHAR,
  registration_frame BIGINT, frame BIGINT, time_ns BIGINT,
  time TIMESTAMP_NS GENERATED ALWAYS AS (make_timestamp_ns(time_ns)) VIRTUAL,
  type VARCHAR, mid INTEGER, code VARCHAR, observe BIGINT, payload_length INTEGER, payload_text VARCHAR,
  retransmission BOOLEAN, fresh BOOLEAN, same_payload_as_previous BOOLEAN);

CREATE TABLE coap_transfers (
  client VARCHAR, client_port INTEGER, server VARCHAR, server_port INTEGER, path VARCHAR, direction VARCHAR,
  method VARCHAR, block_size INTEGER, blocks INTEGER, bytes BIGINT, complete BOOLEAN,
  first_frame BIGINT, last_frame BIGINT, first_ns BIGINT, last_ns BIGINT, final_code VARCHAR,
  payload BLOB, payload_text VARCHAR);

-- local_time(time_ns, 'Europe/Rome'): the wall-clock time of a *_ns column in a time zone (microseconds).
CREATE MACRO local_time(ns, zone) AS timezone(zone, make_timestamptz(ns // 1000));

-- topic_levels(topic): the number of levels of an MQTT topic or filter (split on '/'; '' is one empty level).
CREATE MACRO topic_levels(topic) AS len(string_split(topic, '/'));

-- _topic_levels_match(f, t, dollar): the level walk of topic_matches on the filter's levels f and the topic's
-- levels t (dollar: the topic starts with '$'); not meant to be called on its own. The levels compared pairwise
-- are all of f, or all but a final '#'. The lambda sees only the zipped pair, never f or t: DuckDB cannot bind a
-- lambda that names a column of an outer query, which f and t are when topic_matches is used in a correlated
-- subquery (EXISTS (SELECT ... WHERE topic_matches(s.filter, outer.topic))).
CREATE MACRO _topic_levels_match(f, t, dollar) AS
  NOT (dollar AND f[1] IN ('+', '#'))
  AND NOT list_contains(f[1:len(f) - 1], '#')
  AND CASE WHEN f[len(f)] = '#' THEN len(t) >= len(f) - 1 ELSE len(t) = len(f) END
  AND coalesce(list_bool_and(list_transform(list_zip(f[1:len(f) - CASE WHEN f[len(f)] = '#' THEN 1 ELSE 0 END], t, true),
                                            lambda x: x[1] = '+' OR x[1] = x[2])), true);

-- topic_matches(filter, topic): whether an MQTT topic filter matches a topic name, level by level (MQTT 3.1.1
-- section 4.7, MQTT 5 section 4.7). The rule is org.iotpcap.semantic.TopicFilter.matches, which decides every
-- delivery in the tables; this macro is its copy for queries about topics the capture never saw, and
-- TopicFilterMacroPropertiesTest holds the two equal on random filters and topics. '+' matches exactly one
-- level, which may be empty (4.7.1.3); '#' as the last level matches its parent level and any number of levels
-- below (4.7.1.2), anywhere else it makes the filter invalid and it matches nothing; '+' and '#' inside a level
-- ('a+', '#b') are ordinary text (iotpcap's definition: wildcards only as whole levels); a topic starting with
-- '$' is not matched by a filter whose first level is a wildcard (4.7.2); an empty filter or topic, which 4.7.3
-- forbids, matches nothing, and so does NULL (false, not NULL, as in Java).
CREATE MACRO topic_matches(filter, topic) AS coalesce(
  filter <> '' AND topic <> ''
  AND _topic_levels_match(string_split(filter, '/'), string_split(topic, '/'), starts_with(topic, '$')), false);
