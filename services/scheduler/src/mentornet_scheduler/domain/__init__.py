"""Scheduler's pure logic: no I/O, unit-tested without a broker or database."""
