"""Deployment artefacts that are derived from code, so they cannot drift from it.

`python -m deploy` writes them (the Kubernetes per-service base, the Strimzi topics and
users, the KEDA scalers, the settings table in docs/operations.md); `python -m deploy
--check` says which ones differ from what the code implies. Hand-written parts (the
Dockerfile, docker-compose, kustomizations and overlays) sit beside them.
"""
