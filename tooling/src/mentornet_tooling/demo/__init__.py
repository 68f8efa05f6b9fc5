"""`mentornet demo`: a realistic mentor network run through simulated weeks on the
local stack, through the services' public HTTP APIs only, as the people would."""
