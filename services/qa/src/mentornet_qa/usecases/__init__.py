"""QA's use cases: what a route or a fact asks of QA, between the HTTP edge or the event
table and the pure domain. They read and write through the store and refuse with
mentornet_chassis.errors; they know nothing of HTTP."""
