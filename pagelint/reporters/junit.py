"""`--format junit`: JUnit XML, for CI systems that show test reports (GitLab, Jenkins,
Azure). Each checked file is a test case; each finding in it is a `<failure>`."""

from __future__ import annotations

import re
from collections import defaultdict
from xml.etree import ElementTree

from pagelint.reporters.text import line_of

# Characters XML 1.0 cannot carry at all, even escaped, and the DEL and C1 controls it
# discourages (a terminal showing the file may act on them); pages and messages may hold them.
_NOT_XML = re.compile("[^\t\n\r\x20-\x7e\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub(lambda match: f"\\u{ord(match.group()):04x}", text)


def report(result, out, options) -> None:
    by_path = defaultdict(list)
    for diagnostic in result.diagnostics:
        by_path[diagnostic.path].append(diagnostic)
    paths = list(dict.fromkeys([*result.checked, *by_path]))  # site-wide findings may name other files
    failing = sum(1 for path in paths if by_path[path])
    counts = {"tests": str(len(paths)), "failures": str(failing), "errors": "0", "skipped": "0"}
    suites = ElementTree.Element("testsuites", {"name": "pagelint", **counts})
    suite = ElementTree.SubElement(suites, "testsuite", {"name": "pagelint", **counts})
    for path in paths:
        case = ElementTree.SubElement(suite, "testcase", {"name": xml_text(path), "classname": "pagelint", "file": xml_text(path)})
        for diagnostic in by_path[path]:
            failure = ElementTree.SubElement(
                case, "failure",
                {"type": diagnostic.code, "message": xml_text(f"{diagnostic.line}:{diagnostic.column}: {diagnostic.code} {diagnostic.message}")},
            )
            failure.text = xml_text(f"{line_of(diagnostic)}\nseverity: {diagnostic.severity.label}")
    ElementTree.indent(suites)
    out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    out.write(ElementTree.tostring(suites, encoding="unicode"))
    out.write("\n")
