"""One service process: settings, logging, the runtime a composition root gets, wiring, the
runner, workers, health and metrics.
"""
