-- Columns derived from several tables, computed once after a capture is loaded. Each is declared as
--   table.column TYPE = value;
-- where value is a scalar expression on the table's row t (here a correlated subquery). DuckDB copies the table,
-- in its order, into one with the derived columns added (sql/Database.derive: an UPDATE of every row would hold
-- memory DuckDB cannot spill for as long as an in-memory database lives); Spark computes SELECT t.*, value AS
-- column (spark/IotpcapTables).
-- The DNS names the capture's own answers give to each server (comma-separated, sorted): the same capture's
-- answers only, when several captures are loaded into one dataset.
tcp_connections.server_name VARCHAR = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.server AND n.capture = t.capture);
mqtt_connections.broker_name VARCHAR = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.broker AND n.capture = t.capture);
mqtt_clients.broker_name VARCHAR = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.broker AND n.capture = t.capture);
coap_exchanges.server_name VARCHAR = (SELECT string_agg(DISTINCT n.name, ',' ORDER BY n.name) FROM names n WHERE n.address = t.server AND n.capture = t.capture);
