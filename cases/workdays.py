"""Working days: Monday to Friday, except public holidays, plus make-up workdays (调休).

The exceptions live in the Holiday table (editable in the admin). Deadlines
counted in working days end at the same time of day as they started. Days are
the district's days (TIME_ZONE, Asia/Shanghai): a case reported at 07:30 on a
Monday in Changsha is a Monday case, though it is still Sunday in UTC.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from cases.models import Holiday


def local(moment: dt.datetime) -> dt.datetime:
    """The moment on the district's clock (for counting days and for texts people read)."""
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def exceptions() -> dict[dt.date, bool]:
    """Holidays and make-up workdays, read fresh (a few dozen rows) so admin edits apply at once."""
    return dict(Holiday.objects.values_list("date", "is_workday"))


def is_workday(day: dt.date, table: dict[dt.date, bool] | None = None) -> bool:
    table = exceptions() if table is None else table
    if day in table:
        return table[day]
    return day.weekday() < 5


def add_workdays(start: dt.datetime, days: int) -> dt.datetime:
    """The moment `days` working days after `start` (a report on a holiday starts counting next workday)."""
    table = exceptions()
    current = local(start)
    counted = 0
    while counted < days:
        current += dt.timedelta(days=1)
        if is_workday(current.date(), table):
            counted += 1
    return current
