"""YAML read into a tree of Nodes that remember their line and key path, so every validation error can say
`compat_matrix.yaml:123: key 'torch.releases[4].variants': expected a list of strings`."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, Optional

from d2l_doctor.errors import UsageError


class MatrixError(UsageError):
    """The compatibility matrix is missing, unreadable or malformed (one line: file, line, key, problem)."""


@dataclass(frozen=True)
class Node:
    value: Any  # dict[str, Node] | list[Node] | a scalar (str, int, float, bool, None)
    line: int
    path: str  # "torch.releases[4].variants"; "" for the document
    file: str  # the file name shown in errors

    # ---- errors --------------------------------------------------------------------------------------
    def fail(self, problem: str) -> NoReturn:
        where = f"key '{self.path}'" if self.path else "document"
        raise MatrixError(f"{self.file}:{self.line}: {where}: {problem}")

    # ---- containers ----------------------------------------------------------------------------------
    def mapping(self, allowed: Optional[set[str]] = None) -> dict[str, Node]:
        if not isinstance(self.value, dict):
            self.fail(f"expected a mapping, got {_kind(self.value)}")
        if allowed is not None:
            for key, child in self.value.items():
                if key not in allowed:
                    child.fail(f"unknown key (expected one of: {', '.join(sorted(allowed))})")
        return self.value

    def seq(self) -> list[Node]:
        if not isinstance(self.value, list):
            self.fail(f"expected a list, got {_kind(self.value)}")
        return self.value

    def req(self, key: str) -> Node:
        found = self.mapping().get(key)
        if found is None:
            self.fail(f"missing key '{key}'")
        return found

    def opt(self, key: str) -> Optional[Node]:
        """The child, or None when the key is absent or its value is null."""
        found = self.mapping().get(key)
        return None if found is None or found.value is None else found

    # ---- scalars -------------------------------------------------------------------------------------
    def text(self) -> str:
        if not isinstance(self.value, str):
            hint = (
                " (quote version numbers: 3.10 reads as the number 3.1)"
                if isinstance(self.value, float)
                else ""
            )
            self.fail(f"expected a string, got {_kind(self.value)}{hint}")
        return self.value

    def version(self) -> str:
        from packaging.version import InvalidVersion, Version

        text = self.text()
        try:
            Version(text)
        except InvalidVersion:
            self.fail(f"not a version number: {text!r}")
        return text

    def specifier(self) -> str:
        from packaging.specifiers import InvalidSpecifier, SpecifierSet

        text = self.text()
        try:
            SpecifierSet(text)
        except InvalidSpecifier:
            self.fail(f"not a version specifier: {text!r}")
        return text

    def requirement(self) -> str:
        from packaging.requirements import InvalidRequirement, Requirement

        text = self.text()
        try:
            Requirement(text)
        except InvalidRequirement:
            self.fail(f"not a requirement: {text!r}")
        return text

    def url(self) -> str:
        text = self.text()
        if not text.startswith(("https://", "http://")):
            self.fail(f"not an http(s) URL: {text!r}")
        return text

    def number(self) -> float:
        if isinstance(self.value, bool) or not isinstance(self.value, (int, float)):
            self.fail(f"expected a number, got {_kind(self.value)}")
        return float(self.value)

    def integer(self) -> int:
        if isinstance(self.value, bool) or not isinstance(self.value, int):
            self.fail(f"expected an integer, got {_kind(self.value)}")
        return self.value

    def boolean(self) -> bool:
        if not isinstance(self.value, bool):
            self.fail(f"expected true or false, got {_kind(self.value)}")
        return self.value

    def str_list(self) -> tuple[str, ...]:
        if not isinstance(self.value, list):
            self.fail("expected a list of strings")
        return tuple(item.text() for item in self.value)  # a bad item fails with its own line and key

    def version_list(self) -> tuple[str, ...]:
        self.str_list()
        return tuple(i.version() for i in self.seq())

    def str_map(self) -> dict[str, str]:
        return {k: v.text() for k, v in self.mapping().items()}


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {
        dict: "a mapping",
        list: "a list",
        str: "a string",
        bool: "a boolean",
        int: "an integer",
        float: "a number",
    }.get(type(value), type(value).__name__)


MAX_CHARS = 4 * 1024 * 1024  # the bundled matrix is under 100 KiB
MAX_NODES = 200_000  # values after expanding aliases; the bundled matrix has about 6,000


def read_tree(path: Path, trusted: bool = False) -> Node:
    """Parse the file into Nodes (SafeLoader, line numbers kept); any failure is a one-line MatrixError.

    trusted (the bundled matrix, which the tests validate): libyaml's loader where PyYAML has it, six times
    faster. Its C composer recurses without Python's depth limit, so a file from outside never goes to it.
    """
    import yaml

    name = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MatrixError(f"{path}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise MatrixError(f"{path}: cannot read: {exc}") from None
    if len(text) > MAX_CHARS:
        raise MatrixError(f"{name}:1: document: larger than {MAX_CHARS // (1024 * 1024)} MiB, no matrix is")
    loader = None
    try:
        # The reader already refuses control characters: inside the try.
        loader = (yaml.CSafeLoader if trusted and yaml.__with_libyaml__ else yaml.SafeLoader)(text)
        root = loader.get_single_node()
        if root is None:
            raise MatrixError(f"{name}:1: document: the file is empty")
        return _convert(loader, root, "", name, _Budget(name))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        raise MatrixError(f"{name}:{line}: invalid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise MatrixError(f"{name}:1: invalid YAML: {str(exc).splitlines()[0]}") from None
    except RecursionError:  # PyYAML composes recursively: a 100,000-deep `[[[…]]]` ends here, not in a trace
        raise MatrixError(f"{name}:1: document: nested too deeply") from None
    finally:
        if loader is not None:
            loader.dispose()


class _Budget:
    """Nodes left to convert. An alias is a reference, so a few lines can name 10**9 nodes (an alias bomb): each
    node counts every time it is reached, and `<<` merges count what they would copy before they copy it."""

    def __init__(self, name: str) -> None:
        self.left = MAX_NODES
        self.name = name
        self.merged: dict[int, int] = {}

    def spend(self, node: Any, count: int = 1) -> None:
        self.left -= count
        if self.left < 0:
            raise MatrixError(
                f"{self.name}:{node.start_mark.line + 1}: document: more than {MAX_NODES} values once its aliases "
                "are expanded (an alias bomb?)"
            )

    def merged_size(self, node: Any) -> int:
        """Entries a mapping has once its `<<` merges are flattened (memoised: merges share their nodes)."""
        import yaml

        key = id(node)
        if key not in self.merged:
            self.merged[key] = 0  # a merge cycle counts as nothing more
            size = 0
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    parts = value_node.value if isinstance(value_node, yaml.SequenceNode) else [value_node]
                    size += sum(self.merged_size(p) for p in parts if isinstance(p, yaml.MappingNode))
                else:
                    size += 1
                if size > MAX_NODES:
                    break
            self.merged[key] = size
        return self.merged[key]


def _convert(loader: Any, node: Any, path: str, name: str, budget: _Budget) -> Node:
    import yaml

    line = node.start_mark.line + 1
    budget.spend(node)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Node] = {}
        budget.spend(node, budget.merged_size(node))
        loader.flatten_mapping(node)  # resolves `<<` merge keys
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            child = f"{path}.{key}" if path else str(key)
            if not isinstance(key, str):  # `3.10:` would silently become 3.1
                raise MatrixError(
                    f"{name}:{key_node.start_mark.line + 1}: key '{child}': keys must be strings (quote it)"
                )
            if key in out:
                raise MatrixError(f"{name}:{key_node.start_mark.line + 1}: key '{child}': defined twice")
            out[key] = _convert(loader, value_node, child, name, budget)
        return Node(out, line, path, name)
    if isinstance(node, yaml.SequenceNode):
        return Node(
            [_convert(loader, v, f"{path}[{i}]", name, budget) for i, v in enumerate(node.value)],
            line,
            path,
            name,
        )
    return Node(loader.construct_object(node), line, path, name)
