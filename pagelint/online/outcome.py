"""What a URL answered, as the parent process and the link-checking lanes exchange and the
cache keeps it. Light on purpose: the parent of a parallel run never imports httpx."""

from __future__ import annotations

from dataclasses import dataclass, field, fields


@dataclass
class Outcome:
    """What a URL (without its fragment) answered. `kind`: ok, dead, timeout, accepted (an
    answer that is not a verdict: a status in `accept-status`, rate limiting), soft-error,
    refused (a private address, never requested) or skipped (the time budget ran out)."""

    kind: str
    reason: str = ""
    status: int = 0
    final_url: str = ""
    moved_to: str = ""  # where the leading permanent redirects lead
    https: bool = False  # an http:// URL whose https:// form answers the same
    https_probed: bool = False  # `https` was looked into
    whole_page: bool = False  # the HTML was read to its end, so fragments are decidable
    anchors: dict[str, bool] = field(default_factory=dict)  # wanted fragment -> found
    unresolved: bool = False  # the host name did not resolve (never cached: looking it up again is cheap)

    def to_dict(self) -> dict:
        # Shallow, unlike dataclasses.asdict (which copies deeply and costs more than the
        # rest of recording an outcome); `anchors` is copied, being the one mutable field.
        data = {name: getattr(self, name) for name in _FIELD_NAMES}
        data["anchors"] = dict(self.anchors)
        return data

    @classmethod
    def from_dict(cls, data: dict) -> Outcome:
        return cls(**data)

    @property
    def failed(self) -> bool:
        return self.kind not in ("ok", "accepted", "refused")

    def answers(self, fragments: set[str], probe_https: bool) -> bool:
        """Whether this outcome says all that the link's citations ask: each fragment that
        the page was read for, and whether https:// works where L104 may report it."""
        anchors_known = not self.whole_page or all(f in self.anchors for f in fragments if decidable_fragment(f))
        return anchors_known and (self.https_probed or not probe_https or self.kind != "ok")


_FIELD_NAMES = tuple(item.name for item in fields(Outcome))


def decidable_fragment(fragment: str) -> bool:
    """Fragments that scripts, not the HTML, resolve (`#!/route`, `#/route`, text fragments) are not checked."""
    return bool(fragment) and not fragment.startswith(("!", "/", ":~:"))
