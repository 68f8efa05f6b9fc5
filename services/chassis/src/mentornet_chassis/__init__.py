"""The shared MentorNet service runtime. Every service uses it; none copies it."""
