"""MentorNet intake: participants, programs, skill taxonomy, consent, bulk import."""
