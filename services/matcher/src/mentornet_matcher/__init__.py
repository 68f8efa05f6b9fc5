"""MentorNet matcher: candidate read model, explained scoring, assignment, rematch."""
