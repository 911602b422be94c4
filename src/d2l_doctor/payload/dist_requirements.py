"""The requirements of every installed distribution, checked as `pip check` does, from the metadata alone.

Runs inside the user's interpreter (imported by book_cell.py): stdlib only, Python 3.6 syntax. pip itself is
never run. Requirement strings are parsed with the `packaging` that pip vendors (present wherever pip is), else
a standalone `packaging`; without either, only plain "name" requirements without markers are checked.

unmet() returns a list of {"package", "version", "requirement", "name", "installed"}: `installed` is the
version found (a version conflict) or None (missing).
"""

import re
import sys


def _metadata():
    try:
        from importlib import metadata  # novermin (3.8+; older ones take the except branch)

        return metadata
    except ImportError:
        try:
            import importlib_metadata as metadata  # the backport, common on 3.6/3.7

            return metadata
        except ImportError:
            return None


def _requirement_class():
    try:
        from pip._vendor.packaging.requirements import Requirement

        return Requirement
    except Exception:
        try:
            from packaging.requirements import Requirement

            return Requirement
        except Exception:
            return None


def canonical(name):
    return re.sub(r"[-_.]+", "-", str(name)).lower()


_PLAIN = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*$")
# A marker that is a conjunction (no `or`) holding `extra == "NAME"` is false outside that extra, whatever else it
# says: most Requires-Dist lines are such (556 of 633 in a d2l environment), and parsing each one costs about a
# millisecond with the pyparsing-based packaging that older pips vendor, half a second in all.
_EXTRA = re.compile(r"""\bextra\s*==\s*("[^"]+"|'[^']+')""")
_OR = re.compile(r"\bor\b")


def only_in_an_extra(text):
    """True when the requirement applies only with an extra (its marker is false for extra == "")."""
    _, semicolon, marker = text.partition(";")
    return bool(semicolon) and _EXTRA.search(marker) is not None and _OR.search(marker) is None


def _installed(metadata):
    """canonical name -> (display name, version, [requirement strings])."""
    found = {}
    for dist in metadata.distributions():
        try:
            name = dist.metadata["Name"]
            version = dist.version
        except Exception:
            continue
        if not name or canonical(name) in found:
            continue  # the first one on sys.path is the one Python imports (as pip check sees it)
        try:
            requires = list(dist.requires or [])
        except Exception:
            requires = []
        found[canonical(name)] = (str(name), str(version), requires)
    return found


def _check(requirement_class, text, installed):
    """(canonical name, installed version or None, requirement shown) when text is unmet, else None."""
    if only_in_an_extra(text):
        return None
    if requirement_class is None:
        match = _PLAIN.match(text)
        if match is None:
            return None  # a version, an extra or a marker we cannot evaluate without packaging
        name = canonical(match.group(1))
        return None if name in installed else (name, None, text.strip())
    try:
        req = requirement_class(text)
    except Exception:
        return None
    if req.marker is not None:
        try:
            if not req.marker.evaluate({"extra": ""}):
                return None  # an extra's dependency, or another platform's
        except Exception:
            return None
    name = canonical(req.name)
    shown = req.name + str(req.specifier)
    if name not in installed:
        return (name, None, shown)
    version = installed[name][1]
    try:
        if req.specifier and not req.specifier.contains(version, prereleases=True):
            return (name, version, shown)
    except Exception:
        return None
    return None


def unmet():
    metadata = _metadata()
    if metadata is None:
        return None  # not known: nothing to read the metadata with
    requirement_class = _requirement_class()
    installed = _installed(metadata)
    out = []
    for key in sorted(installed):
        display, version, requires = installed[key]
        for text in requires:
            bad = _check(requirement_class, text, installed)
            if bad is not None:
                name, found, shown = bad
                out.append(
                    {
                        "package": display,
                        "version": version,
                        "requirement": shown,
                        "name": name,
                        "installed": found,
                    }
                )
    return out


if __name__ == "__main__":
    import json

    sys.stdout.write(json.dumps({"unmet": unmet()}) + "\n")
