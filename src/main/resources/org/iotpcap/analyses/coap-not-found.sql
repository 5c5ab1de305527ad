-- name: coap-not-found
-- question: How many CoAP GET requests are directed to non-existing resources in the local CoAP server?
-- description: Distinct CoAP requests (client endpoint + Message ID; retransmissions once) to the server whose
-- description: response is 4.04 Not Found, optionally of one method and one message type, and optionally leaving
-- description: out Observe requests (a GET with an Observe option: registration or deregistration).
-- param: server addresses local  the CoAP server: a DNS name answered in the capture, local, any, or addresses
-- param: port int 5683  the server's UDP port (decoded as CoAP)
-- param: method choice(GET|POST|PUT|DELETE|FETCH|PATCH|iPATCH|any) GET  the request method, or any
-- param: type choice(any|CON|NON) any  the request's message type, or any
-- param: exclude_observe bool false  leave out requests carrying an Observe option
-- decode: udp.port==${port}:coap
SELECT client, client_port, mid, token, type, method, path, query, observe, server, server_port,
       first_frame, response_frame, response_type, response_code, capture
FROM coap_exchanges
WHERE response_code = '4.04'
  AND in_server(server) AND server_port = ${port}
  AND (${method} = 'any' OR method = ${method})
  AND (${type} = 'any' OR type = ${type})
  AND NOT (${exclude_observe} AND observe IS NOT NULL)
ORDER BY capture, first_frame
