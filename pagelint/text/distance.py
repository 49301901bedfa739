"""Edit distances between short strings (keys, domains, words), shared by the rules that
look for near misses."""

from __future__ import annotations

from functools import lru_cache


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


@lru_cache(maxsize=4096)
def first_near(key: str, candidates: tuple[str, ...]) -> str | None:
    """The first of `candidates` near `key`. Memoised: the pages of a site repeat the same
    custom keys against the same schema, and each lookup costs an edit distance per candidate."""
    return next((candidate for candidate in candidates if near(key, candidate)), None)


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
