"""MongoDB: aggregates (state, inbox and outbox in one write), identities, lookups."""
