"""Intake's use cases: what the routes and the import worker ask for, each in terms of
the domain, the stores and the caller; refusals come from mentornet_chassis.errors."""
