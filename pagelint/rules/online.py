"""Online link rules (L1xx): what only a request can tell. They are reported by the online
pass of `check --online` (`pagelint.online`), never by `check` itself, so that the offline
path never touches the network; their examples are checked against a local server by
tests/test_online.py."""

from __future__ import annotations

from pagelint.diagnostics import Severity
from pagelint.rules.base import Rule


class OnlineRule(Rule):
    online = True

    def check(self, doc, options):
        return iter(())


class DeadLink(OnlineRule):
    code = "L101"
    name = "dead-link"
    summary = "External link answers with an error, or cannot be reached at all"
    rationale = (
        "Venues move their proceedings, personal pages vanish and projects are taken down; a "
        "reader who follows such a link gets a 404, a server error, an unknown host, a refused "
        "connection or a certificate error. The finding names the reason. Answers from hosts "
        "that refuse robots (403 by default, `accept-status`) and links to private addresses, "
        "which are never requested, are reported as info."
    )
    bad = "[Slides](https://example.org/talks/removed-2019.pdf)\n"
    good = "[Slides](https://example.org/talks/slides-2019.pdf)\n"


class PermanentRedirect(OnlineRule):
    code = "L102"
    name = "permanent-redirect"
    summary = "External link redirects permanently (301/308); the fix is the final URL"
    rationale = (
        "A permanent redirect says the page has moved for good: the old address costs every "
        "reader a round trip and stops working when the redirect is dropped. Temporary "
        "redirects (302, 303, 307), such as those of doi.org, are left alone."
    )
    bad = "[Group page](http://example.org/old-group/)\n"
    good = "[Group page](https://example.org/group/)\n"
    severity = Severity.INFO
    fixable = True


class LinkTimeout(OnlineRule):
    code = "L103"
    name = "timeout"
    summary = "External link did not answer within the timeout, after retries"
    rationale = (
        "A server that does not answer in time is down, overloaded or drops requests; readers "
        "see the same. Raise `timeout` under `[online]` for hosts known to be slow."
    )
    bad = "[Dataset](https://slow.example.org/data.zip)\n"
    good = "[Dataset](https://example.org/data.zip)\n"


class HttpsAvailable(OnlineRule):
    code = "L104"
    name = "https-available"
    summary = "`http://` link whose `https://` form answers the same"
    rationale = (
        "The server answers the same page over `https://`, so the insecure link (L004) can be "
        "changed without breaking it; the fix does exactly that."
    )
    bad = "[Lab](http://example.org/lab/)\n"
    good = "[Lab](https://example.org/lab/)\n"
    severity = Severity.INFO
    fixable = True


class SoftError(OnlineRule):
    code = "L105"
    name = "soft-error"
    summary = "Page answers 200 but is an error page (for hosts configured with `soft-error`)"
    rationale = (
        "Some hosts answer a missing page with 200 and a 'not found' text, so a status check "
        "passes. For the hosts listed under `[online.hosts.\"host\"]` with `soft-error` "
        "phrases, the page is fetched and searched for them."
    )
    bad = "[Profile](https://example.org/people/former-student)\n"
    good = "[Profile](https://example.org/people/ada)\n"


class MissingRemoteAnchor(OnlineRule):
    code = "L106"
    name = "missing-remote-anchor"
    summary = "Fragment `#name` not found in the external page that was fetched"
    rationale = (
        "A link to `page#section` lands at the top of the page when the section was renamed. "
        "The fragment is looked for only when the page's HTML is fetched anyway (a server "
        "that rejects HEAD, a soft-error host) and read whole; pages that build their anchors "
        "with scripts can hide them, so this is info."
    )
    bad = "[Proof](https://example.org/notes.html#lemma-3)\n"
    good = "[Proof](https://example.org/notes.html#lemma-2)\n"
    severity = Severity.INFO


RULES = (DeadLink(), PermanentRedirect(), LinkTimeout(), HttpsAvailable(), SoftError(), MissingRemoteAnchor())
ONLINE_CODES = frozenset(rule.code for rule in RULES)
