"""Feedback's use cases: what a route or an event asks of the service, step by step
(read, let the domain decide, write, emit). They raise refusals from
mentornet_chassis.errors and know nothing of HTTP."""
