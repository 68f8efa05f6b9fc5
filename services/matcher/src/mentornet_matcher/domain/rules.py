"""A program's matching rules, as published, and what they mean for capacity."""

from __future__ import annotations

from dataclasses import dataclass

from mentornet_contracts.events.programs import ProgramPublished, ProgramTier

WEEKS_PER_MONTH = 4


@dataclass(frozen=True)
class MentorLoad:
    """What a mentor already carries: active matches here, hours a month everywhere."""

    active_in_program: int = 0
    monthly_hours: float = 0.0
    active_everywhere: int = 0
    """Active matches in every program: a person's own limit counts them all."""


@dataclass(frozen=True)
class Rules:
    weights: dict[str, float]
    session_hours: float
    sessions_per_month: int
    max_active: int
    max_monthly_hours: float
    exclude_same_manager_line: bool = False
    exclude_same_org_unit: bool = False
    cohort_size: int | None = None
    span_weeks: int = 12
    """How long a match runs (the program's duration_weeks): shared time is counted
    over all of it."""
    session_format: str | None = None
    """The program's format (`async`: written check-ins, no shared live time needed)."""

    @classmethod
    def of(cls, program: ProgramPublished) -> Rules:
        return cls(
            weights={k: v for k, v in program.matching_weights.items() if v > 0},
            session_hours=program.cadence.session_minutes / 60,
            sessions_per_month=program.cadence.sessions_per_month,
            max_active=program.max_active_mentees_per_mentor,
            max_monthly_hours=program.max_monthly_hours_per_mentor,
            exclude_same_manager_line=program.conflict_rules.exclude_same_manager_line,
            exclude_same_org_unit=program.conflict_rules.exclude_same_org_unit,
            cohort_size=program.cohort_size if program.tier == ProgramTier.COHORT else None,
            span_weeks=program.duration_weeks,
            session_format=program.session_format,
        )

    @property
    def hours_per_match(self) -> float:
        """A match's sessions in a month, in hours (a cohort's, for the whole group)."""
        return self.sessions_per_month * self.session_hours

    @property
    def shared_hours(self) -> bool:
        """A cohort's members share the mentor's sessions (and hours)."""
        return self.cohort_size is not None

    @property
    def min_overlap_hours(self) -> float:
        """Shared hours a week a pair needs (averaged over the span): a month's
        sessions in four weeks of shared time."""
        return self.hours_per_match / WEEKS_PER_MONTH

    def capacity_left(self, override: int | None, load: MentorLoad) -> int:
        """More mentees the mentor can take here, by count and by monthly hours. The
        mentor's own limit (`override`) and the hours hold across every program they
        mentor in (their load is their person's); the program may set lower ones."""
        hours_left = self.max_monthly_hours - load.monthly_hours
        if self.cohort_size is not None:
            starting = load.active_in_program == 0
            if starting and hours_left < self.hours_per_match:
                return 0
            group = min(override or self.cohort_size, self.cohort_size)
            return max(0, group - load.active_in_program)
        by_count = min(override or self.max_active, self.max_active) - load.active_in_program
        if override is not None:
            by_count = min(by_count, override - load.active_everywhere)
        by_hours = int(hours_left / self.hours_per_match + 1e-9)
        return max(0, min(by_count, by_hours))
