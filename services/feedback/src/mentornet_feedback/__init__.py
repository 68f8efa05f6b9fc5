"""MentorNet feedback: surveys, rubric scores, session reports, goal progress."""
