"""Which figures of the outcome report stay hidden, so no figure about fewer than 5
mentees can be read or worked out from the others:

- a group of fewer than 5 mentees shows neither figures nor sizes ("fewer than 5
  mentees"), and neither does a figure resting on fewer than 5;
- complementary suppression: when exactly one group of a split (or one group's figure of
  an indicator) is hidden with anyone in it, the next smallest is hidden too
  ("suppressed so a smaller group cannot be worked out"): otherwise the program-wide
  figure less the groups shown would give the hidden one;
- early closures by reason list only reasons counted 5 times or more; the rest are
  folded into one "other" count when that reaches 5, else left out."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

MIN_GROUP = 5
SUPPRESSED = f"fewer than {MIN_GROUP} mentees"
COMPLEMENT = "suppressed so a smaller group cannot be worked out"
OTHER_REASONS = f"other (fewer than {MIN_GROUP} each)"


def complement(sizes: Mapping[str, int], hidden: Mapping[str, str]) -> dict[str, str]:
    """The next smallest group to hide when exactly one of several is hidden (a hidden
    group with nobody in it hides nothing: it does not count)."""
    shown = sorted((n, name) for name, n in sizes.items() if name not in hidden)
    if len([g for g in hidden if sizes.get(g, 0) > 0]) != 1 or not shown:
        return {}
    return {shown[0][1]: COMPLEMENT}


def hidden(sizes: Mapping[str, int], already: Mapping[str, str] | None = None) -> dict[str, str]:
    """Why each hidden group is hidden, by group: `sizes` are the groups' sample sizes,
    `already` the groups hidden for another reason (their whole group is)."""
    found = dict(already or {})
    found.update({g: SUPPRESSED for g, n in sizes.items() if n < MIN_GROUP and g not in found})
    return {**found, **complement(sizes, found)}


def closure_reasons(reasons: Iterable[str]) -> dict[str, int]:
    """Early closures by reason code, each count at least MIN_GROUP."""
    counts = Counter(reasons)
    kept = {reason: n for reason, n in counts.items() if n >= MIN_GROUP}
    rest = sum(n for n in counts.values() if n < MIN_GROUP)
    if rest >= MIN_GROUP:
        kept[OTHER_REASONS] = rest
    return dict(sorted(kept.items()))
