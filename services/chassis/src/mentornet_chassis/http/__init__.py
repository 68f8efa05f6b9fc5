"""The HTTP edge: the app, bearer tokens, the permission policy and its guard, body limits,
Idempotency-Key, error bodies.
"""
