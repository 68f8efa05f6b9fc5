"""Kafka: publishing, consuming one record at a time in order, the outbox relay, dead
letters, timers.
"""
