"""The steps between the event table, the worker or a route and the domain."""
