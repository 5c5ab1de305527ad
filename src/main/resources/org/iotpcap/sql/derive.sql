-- Run once after a capture is loaded: columns derived from several tables.
-- The DNS names the capture's own answers give to each server (comma-separated, sorted).
ALTER TABLE tcp_connections ADD COLUMN server_name VARCHAR;
UPDATE tcp_connections t SET server_name = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.server);
ALTER TABLE mqtt_connections ADD COLUMN broker_name VARCHAR;
UPDATE mqtt_connections t SET broker_name = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.broker);
ALTER TABLE mqtt_clients ADD COLUMN broker_name VARCHAR;
UPDATE mqtt_clients t SET broker_name = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.broker);
ALTER TABLE coap_exchanges ADD COLUMN server_name VARCHAR;
UPDATE coap_exchanges t SET server_name = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.server);
