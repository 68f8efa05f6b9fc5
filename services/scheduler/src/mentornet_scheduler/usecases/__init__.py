"""The scheduler's use cases: what routes, handlers and timers ask of it. Each reads
what it needs through the stores, decides with the pure domain, and writes each change
with its events in one conditional write."""
