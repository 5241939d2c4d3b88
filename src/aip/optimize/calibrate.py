"""Target calibration: typical-day targets tightened until the full year meets them.

Screening on typical days is optimistic about hourly 24/7 matching: a typical day
carries the duration curves of the days it stands for, so sun, wind and the battery
line up better than they do hour by hour over the real year, and the screened plan
misses its CFE share there by 0.5-1 point at a cost 2-4 % below the optimum
(``docs/benchmarks.md``). The gap is a property of the clustering and of the plan's
mix, so it can be measured and put back: dispatch the screened plan over the full year
(:func:`~aip.optimize.full_year_check.check_full_year`), tighten each target by what
the full year missed, and screen again,

    t'_{k+1} = t'_k + (t - r_k) / m_k    (a minimum such as a share; a cap: t'_k - (r_k - t) / m_k)

where ``t`` is the scenario's target, ``t'_k`` the one the typical days were solved with,
``r_k`` what the plan reached over the full year and ``m_k`` the secant slope of ``r``
against ``t'`` over the last two rounds (1 in the first). The screening target is never
looser than the scenario's. A round costs one full-year check (one or two dispatch LPs,
about 1 s on a 2-core machine), so the tightening learned on one plan is kept in
memory and reused by later plans of the same clustering, technologies and targets (a
sweep over prices), as long as their new build stays within ``reuse_within`` of the plan
it was learned on; a plan whose mix moved further is calibrated again, starting from it.

See ``docs/model.md`` ("Calibrated screening").
"""

from __future__ import annotations

import dataclasses
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from aip.errors import AipError, one_line
from aip.optimize.full_year_check import TARGETS, FullYearCheck, check_full_year
from aip.optimize.inputs import ModelInputs
from aip.results.plan import PlanResult

#: Targets that are minima (the others are caps).
MINIMA = frozenset({"min_clean_share", "min_cfe_share"})
#: Targets that are shares, bounded above by 1.
SHARES = frozenset(target for target, is_share in TARGETS.values() if is_share)
#: The calibration ends when the full year reaches every target to within this share of
#: its value (or of 1 for a zero target) [-]: 0.09 points on a 90 % CFE share, 45 t on a
#: 45,000 t cap.
TOLERANCE = 1e-3
#: Secant slopes [-]: below the first, the full year did not follow the last tightening
#: (its target is met by operating the plan, say, which the check does not allow), so
#: that target is left where it was; above the second, the plain step is taken.
MIN_SLOPE, MAX_SLOPE = 0.1, 10.0
#: How a note on a failed full-year check starts (callers report it as the check's error).
CHECK_FAILED = "full-year check failed: "
#: Calibrations kept in memory (one per clustering and set of targets).
CACHE_SIZE = 16


@dataclass(frozen=True)
class Calibration:
    """How a screened plan's targets were tightened.

    ``targets`` are the scenario's; ``screened_at`` the values the typical days were
    solved with; ``checks`` the full-year checks run for this plan (0 when a tightening
    learned on an earlier plan was reused: ``reused``); ``converged`` whether the last
    check found every target within :data:`TOLERANCE` of its value over the full year
    (or beaten there at the scenario's own target; always False after a reuse, which
    runs no check); ``check`` the last check, when it was of the returned plan;
    ``note`` why the calibration stopped short, if it did.
    """

    targets: dict[str, float]
    screened_at: dict[str, float]
    checks: int
    reused: bool
    converged: bool
    check: FullYearCheck | None = dataclasses.field(default=None, repr=False)
    note: str = ""

    @property
    def check_error(self) -> str | None:
        """Why the full-year check failed, if it did (then no check is worth repeating)."""
        return self.note[len(CHECK_FAILED) :] if self.note.startswith(CHECK_FAILED) else None

    @property
    def known_check(self) -> FullYearCheck | str | None:
        """The returned plan's full-year check, or why it failed, if the calibration made
        one (for :func:`~aip.optimize.full_year_check.check_or_reason`)."""
        return self.check_error or self.check

    def summary(self) -> dict[str, Any]:
        return {
            "note": self.note,
            "targets": self.targets,
            "screened_at": self.screened_at,
            "checks": self.checks,
            "reused": self.reused,
            "converged": self.converged,
        }


@dataclass(frozen=True)
class CalibrationSettings:
    """What :func:`calibrate_screening` needs besides the models.

    ``key`` is the clustering's (``Aggregation.key``): tightenings are reused only between
    plans of the same key and targets; ``max_checks`` bounds the full-year checks (each
    followed by a screening solve); a tightening is reused while the plan's capacities
    differ from those it was learned on by at most ``reuse_within`` (sum of absolute
    differences over the sum of the learned plan's capacities, power and energy apart)
    [-], and 0 calibrates every plan.
    """

    key: str
    max_checks: int = 2
    reuse_within: float = 0.1

    def __post_init__(self) -> None:
        if self.max_checks < 1:
            raise ValueError(f"max_checks must be at least 1, got {self.max_checks}")
        if not 0.0 <= self.reuse_within <= 1.0:
            raise ValueError(f"reuse_within must be in [0, 1], got {self.reuse_within}")


@dataclass(frozen=True)
class _Learned:
    offsets: dict[str, float]  # how much tighter than the scenario's target, >= 0
    capacities: dict[str, float]  # the plan the offsets were learned on


_LEARNED: OrderedDict[tuple[str, str, tuple[tuple[str, float], ...]], _Learned] = OrderedDict()
_LEARNED_LOCK = threading.Lock()


def calibrate_screening(
    full: ModelInputs,
    reduced: ModelInputs,
    solve: Callable[[ModelInputs], PlanResult],
    settings: CalibrationSettings,
) -> tuple[PlanResult, Calibration]:
    """Screen ``reduced`` with targets tightened until ``full`` meets them.

    Parameters
    ----------
    full : ModelInputs
        The full hourly model.
    reduced : ModelInputs
        Its typical days (:func:`~aip.optimize.aggregate.aggregate_inputs`).
    solve : callable
        Plans a ``ModelInputs`` (e.g. :func:`aip.optimize.optimize`, or a sweep worker's
        warm-starting solver).
    settings : CalibrationSettings
        The clustering's key, the checks at most and when to reuse.

    Returns
    -------
    (PlanResult, Calibration)
        The screened plan solved with the tightened targets, and how they were set.

    Examples
    --------
    >>> import aip
    >>> from aip.optimize import optimize
    >>> from aip.optimize.aggregate import aggregate_inputs
    >>> full = aip.model_inputs("bench/cases/cfe.yaml")
    >>> reduced, _, info = aggregate_inputs(full, 8)
    >>> settings = CalibrationSettings(info.key)
    >>> plan, calibration = calibrate_screening(full, reduced, optimize, settings)
    >>> calibration.screened_at["min_cfe_share"] > calibration.targets["min_cfe_share"]
    True
    """
    targets = _targets(full)
    if not targets:  # nothing to calibrate: the plain screening plan
        return solve(reduced), Calibration({}, {}, 0, False, True)
    cache_key = (settings.key, _model_key(full), tuple(sorted(targets.items())))
    with _LEARNED_LOCK:
        learned = _LEARNED.get(cache_key)
    offsets = dict.fromkeys(targets, 0.0)
    plan = None
    if learned is not None:
        try:
            plan = solve(_tightened(reduced, targets, learned.offsets))
            offsets = dict(learned.offsets)
        except AipError:  # too tight for this plan (a smaller limit, say): start afresh
            plan = None
    if plan is None:
        plan = solve(_tightened(reduced, targets, offsets))
    elif (
        learned is not None
        and settings.reuse_within > 0
        and (_distance(_capacities(plan, full), learned.capacities) <= settings.reuse_within)
    ):
        with _LEARNED_LOCK:
            _LEARNED.move_to_end(cache_key)
        return plan, Calibration(
            targets, _screened_at(targets, offsets), 0, reused=True, converged=False
        )
    checks, converged, last, note = 0, False, None, ""
    before: tuple[dict[str, float], dict[str, float]] | None = None
    frozen: dict[str, float] = {}  # targets the full year does not follow: their offsets
    while checks < settings.max_checks:
        try:
            last = check_full_year(full, plan)
        except Exception as exc:  # the screened plan stands; the note says why unchecked
            note = f"{CHECK_FAILED}{one_line(exc)}"
            break
        checks += 1
        missed_by = _missed_by(targets, last.targets_reached)
        converged = all(
            abs(missed) <= TOLERANCE * (abs(targets[name]) or 1.0)
            or (missed < 0 and offsets[name] == 0.0)  # beaten at the scenario's own target
            for name, missed in missed_by.items()
        )
        if converged:
            break
        moved = _next_offsets(offsets, missed_by, before, frozen)
        if frozen:
            note = (
                f"the full year did not follow a tighter {', '.join(sorted(frozen))} "
                "(met by serving less load, which the check does not allow?): left as it was"
            )
        if _pinned(targets, offsets, moved):
            note = note or "the targets are at their bounds (a share of 1, a cap of 0)"
            break
        before = (offsets, missed_by)
        try:
            tighter = solve(_tightened(reduced, targets, moved))
        except AipError as exc:
            # the typical days cannot go that far (or the solve failed): keep the last plan
            # and its check
            note = (
                f"the typical days with targets {_screened_at(targets, moved)} could not be "
                f"solved: {' '.join(str(exc).split())}"
            )
            break
        offsets, plan, last = moved, tighter, None  # the check was of the plan before
    if checks:  # only a measured tightening is worth reusing
        with _LEARNED_LOCK:
            _LEARNED[cache_key] = _Learned(offsets, _capacities(plan, full))
            _LEARNED.move_to_end(cache_key)
            while len(_LEARNED) > CACHE_SIZE:
                _LEARNED.popitem(last=False)
    return plan, Calibration(
        targets, _screened_at(targets, offsets), checks, False, converged, last, note
    )


def forget_calibrations() -> None:
    """Drop every tightening kept in memory (the next plans calibrate afresh)."""
    with _LEARNED_LOCK:
        _LEARNED.clear()


def _targets(full: ModelInputs) -> dict[str, float]:
    """The model's targets that the full-year check measures (a row of their own)."""
    out: dict[str, float] = {}
    for target, _ in TARGETS.values():
        value = getattr(full, target)
        if value is None or (target == "max_unserved_fraction" and value >= 1.0):
            continue  # no limit: the model has no row for it
        out[target] = float(value)
    return out


def _screened_at(targets: dict[str, float], offsets: dict[str, float]) -> dict[str, float]:
    out = {}
    for name, value in targets.items():
        tighter = value + offsets[name] if name in MINIMA else value - offsets[name]
        out[name] = min(max(tighter, 0.0), 1.0) if name in SHARES else max(tighter, 0.0)
    return out


def _pinned(targets: dict[str, float], before: dict[str, float], after: dict[str, float]) -> bool:
    """Whether the step from offsets ``before`` to ``after`` changes no screened target:
    each that would move is held at its bound (a share of 1, a cap of 0)."""
    now, then = _screened_at(targets, after), _screened_at(targets, before)
    for name, value in targets.items():
        raw = value + after[name] if name in MINIMA else value - after[name]
        held = raw != now[name]  # clipped at a bound
        still = abs(now[name] - then[name]) <= TOLERANCE * (abs(value) or 1.0)
        if now[name] != then[name] and not (held and still):
            return False
    return True


def _tightened(
    reduced: ModelInputs, targets: dict[str, float], offsets: dict[str, float]
) -> ModelInputs:
    return dataclasses.replace(reduced, **_screened_at(targets, offsets))  # type: ignore[arg-type]


def _missed_by(targets: dict[str, float], reached: dict[str, float]) -> dict[str, float]:
    """How far the full year fell short of each target (< 0: beat it)."""
    return {
        name: (value - reached[name] if name in MINIMA else reached[name] - value)
        for name, value in targets.items()
        if name in reached  # no row in the full model: nothing measured
    }


def _next_offsets(
    offsets: dict[str, float],
    missed_by: dict[str, float],
    before: tuple[dict[str, float], dict[str, float]] | None,
    frozen: dict[str, float],
) -> dict[str, float]:
    """Each offset moved by what the full year missed its target by, kept >= 0.

    The step is a secant step where the round ``before`` (offsets, missed_by) gives a
    slope (how much less the full year misses per unit of tightening) up to
    :data:`MAX_SLOPE`, else the plain step (slope 1). A target whose last tightening
    the full year did not follow (slope below :data:`MIN_SLOPE`) goes back to its offset
    before that step and stays there: it is added to ``frozen`` (in place).
    """
    out = dict(offsets)
    for name, missed in missed_by.items():
        if name in frozen:
            out[name] = frozen[name]
            continue
        slope = 1.0
        if before is not None and name in before[1]:
            moved = offsets[name] - before[0][name]
            if moved != 0.0:
                estimate = (before[1][name] - missed) / moved
                if estimate < MIN_SLOPE:
                    frozen[name] = out[name] = before[0][name]
                    continue
                if estimate <= MAX_SLOPE:
                    slope = estimate
        out[name] = max(offsets[name] + missed / slope, 0.0)
    return out


def _model_key(full: ModelInputs) -> str:
    """What the tightening depends on besides the weather and the targets, that capacities
    may not show: the technologies and their limits, and the grid connection."""
    parts = [f"grid:{full.grid.enabled}:{full.grid.import_limit_mw:.9g}"]
    for g in full.generators:
        parts.append(f"g:{g.key}:{g.p_nom_existing:.9g}:{g.p_nom_min:.9g}:{g.p_nom_max:.9g}")
    for st in full.storage:
        parts.append(
            f"s:{st.key}:{st.p_nom_existing:.9g}:{st.e_nom_existing:.9g}"
            f":{st.p_nom_min:.9g}:{st.p_nom_max:.9g}"
        )
    return "|".join(parts)


def _capacities(plan: PlanResult, full: ModelInputs) -> dict[str, float]:
    """The plan's new build (capacity beyond what exists) [MW, MWh]."""
    out = {f"p:{g.key}": plan.p_nom_mw[g.key] - g.p_nom_existing for g in full.generators}
    for st in full.storage:
        out[f"p:{st.key}"] = plan.p_nom_mw[st.key] - st.p_nom_existing
        out[f"e:{st.key}"] = plan.e_nom_mwh[st.key] - st.e_nom_existing
    return {k: float(v) for k, v in out.items()}


def _distance(now: dict[str, float], learned: dict[str, float]) -> float:
    """Relative L1 distance of new build ``now`` from ``learned``, power and energy apart
    (the larger of the two)."""
    if now.keys() != learned.keys():
        return math.inf
    worst = 0.0
    for prefix in ("p:", "e:"):
        keys = [k for k in now if k.startswith(prefix)]
        scale = sum(abs(learned[k]) for k in keys)
        diff = sum(abs(now[k] - learned[k]) for k in keys)
        if keys and (diff > 0 or scale > 0):
            worst = max(worst, diff / scale if scale > 0 else math.inf)
    return worst
