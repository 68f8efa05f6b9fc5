"""MentorNet scheduler: availability, time zones, slot finding, booking, reminders, attendance."""
