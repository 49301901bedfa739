"""Edit distances between short strings (keys, domains, words), shared by the rules that
look for near misses."""

from __future__ import annotations

import itertools
from functools import cache

_MOST_EDITS = 2


def one_edit_apart(a: str, b: str) -> bool:
    """Levenshtein distance 1, or one transposition of neighbours."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        differences = [index for index in range(len(a)) if a[index] != b[index]]
        if len(differences) == 1:
            return True
        return (
            len(differences) == 2
            and differences[1] == differences[0] + 1
            and a[differences[0]] == b[differences[1]]
            and a[differences[1]] == b[differences[0]]
        )
    shorter, longer = sorted((a, b), key=len)
    index = next((i for i in range(len(shorter)) if shorter[i] != longer[i]), len(shorter))
    return shorter[index:] == longer[index + 1 :]


def near(key: str, known: str) -> bool:
    if key.lower() == known.lower():
        return True
    if len(key) < 5 or len(known) < 5:
        return False
    return one_edit_apart(key.lower(), known.lower()) or two_edits_apart(key.lower(), known.lower())


def two_edits_apart(a: str, b: str) -> bool:
    if abs(len(a) - len(b)) > 2 or min(len(a), len(b)) < 7:
        return False
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1] <= 2


class NearIndex:
    """The first of `names` that `near` accepts for a key, without comparing the key with every
    name: two strings within two edits of each other share a string left after deleting at most
    two characters from each (their deletion neighbourhoods meet), so only names whose
    neighbourhood meets the key's are compared. Answers are kept: the same keys recur on every
    page of a site."""

    def __init__(self, names: tuple[str, ...]):
        self.names = names
        self.by_deletion: dict[str, set[int]] = {}
        for index, name in enumerate(names):
            for variant in _deletion_neighbourhood(name.lower()):
                self.by_deletion.setdefault(variant, set()).add(index)
        self.longest = max((len(name.lower()) for name in names), default=0)
        self.answers: dict[str, str | None] = {}

    def first_near(self, key: str) -> str | None:
        if len(key.lower()) > self.longest + _MOST_EDITS:  # too long to be near any name (and its neighbourhood is vast)
            return None
        if key not in self.answers:
            candidates = set().union(*(self.by_deletion.get(variant, ()) for variant in _deletion_neighbourhood(key.lower())))
            self.answers[key] = next((self.names[index] for index in sorted(candidates) if near(key, self.names[index])), None)
        return self.answers[key]


@cache
def near_index(names: tuple[str, ...]) -> NearIndex:
    """One index per list of known names (a schema's keys), built on first use."""
    return NearIndex(names)


def _deletion_neighbourhood(word: str) -> set[str]:
    return {
        "".join(char for index, char in enumerate(word) if index not in deleted)
        for count in range(min(_MOST_EDITS, len(word)) + 1)
        for deleted in itertools.combinations(range(len(word)), count)
    }
