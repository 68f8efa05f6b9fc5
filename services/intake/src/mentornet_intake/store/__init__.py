"""Intake's persistence: participants and programs (aggregates that emit), the skill
taxonomy, the people directory and import jobs."""
