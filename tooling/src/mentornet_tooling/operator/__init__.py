"""Operator tools behind `mentornet events` and `mentornet dlq`.

Everything here reads without a consumer group (manual assignment, nothing committed), so
watching the system never moves a service's offsets or shows up as a group.
"""
