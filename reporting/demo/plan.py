"""The demo history's cast and calendar: the demo sign-ins and what each must find, the month
being played, and one sampled case with the fate chosen for it."""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from accounts import working_days
from accounts.demo import DEMO_DOMAIN
from accounts.models import Team, User
from audits.models import Allocation
from remediation.models import ActionStatus
from sampling.models import Case, Sample

OLD, RECENT, CURRENT = "old", "recent", "current"


NOT_STARTED, IN_PROGRESS, SHARED, FINISHED = "not_started", "in_progress", "shared", "finished"


# What becomes of a month's audits: (finished, in progress), the rest not started.
FATES = {OLD: (0.92, 0.05), RECENT: (0.86, 0.09), CURRENT: (0.22, 0.33)}


# Where a month's remedial actions have got to by `today`, as weights.
ACTION_STATES = {
    OLD: {
        ActionStatus.AUTHORISED: 74,
        ActionStatus.COMPLETED: 12,
        ActionStatus.FULFILLED: 5,
        ActionStatus.OPEN: 5,
    },
    RECENT: {
        ActionStatus.AUTHORISED: 8,
        ActionStatus.COMPLETED: 14,
        ActionStatus.FULFILLED: 26,
        ActionStatus.OPEN: 52,
    },
}


HISTORY_COUNTS = ("months", "allocations", "audits", "finished", "actions", "decisions")


QA_QUEUE_WANTED = 2  # audits of the current month waiting for their QA check


MIN_INADEQUATE = 2  # finished inadequate audits in each earlier month


SAMPLE_TRIES = 12  # seeds tried for a sample that holds what the demo needs


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def months_back(period: dt.date, n: int) -> dt.date:
    index = period.year * 12 + period.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


@dataclass
class Unit:
    """One sampled case and its auditor (two or three for a paired audit)."""

    allocations: list[Allocation]
    fate: str = NOT_STARTED
    grade: str = ""  # the overall grade, for an audit that is finished
    min_actions: int = 0

    @property
    def case(self) -> Case:
        return self.allocations[0].case


@dataclass
class Plan:
    """Who the demo sign-ins are, and what each must find."""

    qa: User
    auditor: User
    team_manager: User
    service_manager: User
    social_worker: User
    home_team: Team  # the demo team manager's and social worker's team

    @classmethod
    def load(cls) -> Plan:
        """The demo sign-ins that accounts.demo made (README: Demo sign-ins)."""
        names = ("qa", "auditor", "teammanager", "servicemanager", "socialworker")
        people = {
            user.email.split("@")[0]: user
            for user in User.objects.filter(
                email__in=[f"{name}@{DEMO_DOMAIN}" for name in names]
            ).select_related("team")
        }
        return cls(
            qa=people["qa"],
            auditor=people["auditor"],
            team_manager=people["teammanager"],
            service_manager=people["servicemanager"],
            social_worker=people["socialworker"],
            home_team=people["teammanager"].team,
        )

    def holds_worker_case(self, sample: Sample) -> bool:
        return sample.sample_cases.filter(case__allocated_worker=self.social_worker).exists()


@dataclass
class Month:
    period: dt.date
    kind: str
    today: dt.date
    rng: random.Random
    closures: list[dt.date]
    definition: dict[str, Any]
    made: Counter = field(default_factory=Counter)

    def day(self, start: dt.date, low: int, high: int) -> dt.date:
        """A working day `low`..`high` working days after `start`, never after today."""
        return min(working_days.add(start, self.rng.randint(low, high), self.closures), self.today)
