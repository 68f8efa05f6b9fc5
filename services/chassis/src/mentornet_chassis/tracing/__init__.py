"""OpenTelemetry for the services: one tracer per service (setup.py), spans for HTTP
requests (http.py), records consumed and published (messaging.py) and store commands
(mongo.py), with the W3C trace context carried in events' headers (propagation.py)."""
