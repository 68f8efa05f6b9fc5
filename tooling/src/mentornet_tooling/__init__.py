"""MentorNet's tooling: the `mentornet` command, the embedded local stack, the demo,
operator commands, API documents and the test harness. Not installed in the production
image.
"""
