"""One service process: settings, logging, the runtime a composition root gets, the
wiring (the one place a process is built), the runner that runs it, workers, health
and metrics.
"""
