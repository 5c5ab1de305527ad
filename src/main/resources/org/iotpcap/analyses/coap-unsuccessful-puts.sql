-- name: coap-unsuccessful-puts
-- question: How many different Confirmable PUT requests obtained an unsuccessful response from the local CoAP server?
-- description: Distinct Confirmable PUT requests (client endpoint + Message ID; retransmissions count once)
-- description: sent to the server's addresses on the given port whose response has class 4 or 5.
-- param: server addresses local  the CoAP server: a DNS name answered in the capture, local, any, or addresses
-- param: port int 5683  the server's UDP port (decoded as CoAP)
-- decode: udp.port==${port}:coap
SELECT client, client_port, mid, token, path, query,
       first_frame, requests, retransmissions,
       response_frame, response_kind, response_code, capture
FROM coap_exchanges
WHERE type = 'CON'
  AND method = 'PUT'
  AND in_server(server) AND server_port = ${port}
  AND response_class IN (4, 5)
ORDER BY capture, first_frame
