-- Run once after a capture is loaded: columns derived from several tables.
-- The DNS names the capture's own answers give to each server (comma-separated, sorted): the same capture's
-- answers only, when several captures are loaded into one dataset.
ALTER TABLE tcp_connections ADD COLUMN server_name VARCHAR;
UPDATE tcp_connections t SET server_name = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.server AND n.capture = t.capture);
ALTER TABLE mqtt_connections ADD COLUMN broker_name VARCHAR;
UPDATE mqtt_connections t SET broker_name = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.broker AND n.capture = t.capture);
ALTER TABLE mqtt_clients ADD COLUMN broker_name VARCHAR;
UPDATE mqtt_clients t SET broker_name = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.broker AND n.capture = t.capture);
ALTER TABLE coap_exchanges ADD COLUMN server_name VARCHAR;
UPDATE coap_exchanges t SET server_name = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.server AND n.capture = t.capture);
