"""MentorNet notifier: tells people the facts that concern them, exactly once in effect."""
