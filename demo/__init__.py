"""A small live program on the running system (issue 9 grows this into `mentornet demo`)."""
