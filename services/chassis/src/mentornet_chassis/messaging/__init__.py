"""Kafka: publishing, consuming one record at a time (consumer.py) in order
(ordering.py), the outbox relay, dead letters, timers.
"""
