"""Scheduler's composition root.

The walking skeleton runs the process with health, readiness and metrics; its
routes and handlers arrive with the scheduler service issue.
"""

from __future__ import annotations

from mentornet_chassis.runner import run_service
from mentornet_chassis.runtime import Runtime, ServiceParts
from mentornet_chassis.settings import load_settings

from .settings import SchedulerSettings

SERVICE = "scheduler"


def build(runtime: Runtime) -> ServiceParts:
    return ServiceParts()


def main() -> None:
    run_service(SERVICE, load_settings(SchedulerSettings, SERVICE), build)
