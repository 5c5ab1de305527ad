-- name: coap-equal-con-non-gets
-- question: How many CoAP resources in the coap.me public server received the same number of unique Confirmable and Non Confirmable GET requests?
-- description: Resources (Uri-Path, without the query) of the server that received at least one GET and as many
-- description: distinct Confirmable GETs as distinct Non-confirmable GETs (a request is its client endpoint + Message ID).
-- param: server addresses coap.me  the CoAP server: a DNS name answered in the capture, local, any, or addresses
-- param: port int 5683  the server's UDP port (decoded as CoAP)
-- decode: udp.port==${port}:coap
WITH gets AS (
    SELECT capture, path, type
    FROM coap_exchanges
    WHERE method = 'GET' AND in_server(server) AND server_port = ${port}
),
per_resource AS (
    SELECT capture, path AS resource,
           count(*) FILTER (WHERE type = 'CON') AS con_gets,
           count(*) FILTER (WHERE type = 'NON') AS non_gets
    FROM gets
    GROUP BY capture, path
)
SELECT resource, con_gets, non_gets, capture
FROM per_resource
WHERE con_gets = non_gets AND con_gets > 0
ORDER BY capture, resource
