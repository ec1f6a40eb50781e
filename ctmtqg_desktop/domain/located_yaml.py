"""YAML that remembers where each value came from, so that a data file with a wrong value is
refused with its line, not only when the YAML syntax itself is broken.

PyYAML's composer gives every node a start mark; the loader below builds plain ``dict`` and
``list`` subclasses that keep the line of each key's value and each item. Only the safe
subset of YAML is accepted (no Python objects), and a key written twice is an error (PyYAML
would silently keep the last one).
"""

from __future__ import annotations

from typing import Any

import yaml


class LocatedDict(dict[Any, Any]):
    """A mapping with ``line`` (where it starts) and ``lines[key]`` (where each value is)."""

    line: int = 0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines: dict[Any, int] = {}

    def line_of(self, key: Any) -> int:
        return self.lines.get(key, self.line)


class LocatedList(list[Any]):
    """A sequence with ``line`` and ``lines[i]`` for each item."""

    line: int = 0

    def __init__(self, *args: Any) -> None:
        super().__init__(*args)
        self.lines: list[int] = []

    def line_of(self, index: int) -> int:
        return self.lines[index] if 0 <= index < len(self.lines) else self.line


class DuplicateKey(yaml.MarkedYAMLError):
    pass


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml's parser where PyYAML was built with it (the wheels are): the shipped
    templates, handbook pages and report forms parse 8x faster (0,34 s → 0,04 s for the 26
    files, most of it at start-up); same nodes, same lines, the same safe constructors."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode) -> LocatedDict:
    loader.flatten_mapping(node)
    result = LocatedDict()
    result.line = node.start_mark.line + 1
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if key in result:
            raise DuplicateKey(None, None, f"duplicate key {key!r}", key_node.start_mark)
        result[key] = loader.construct_object(value_node, deep=True)
        result.lines[key] = value_node.start_mark.line + 1
    return result


def _construct_sequence(loader: _Loader, node: yaml.SequenceNode) -> LocatedList:
    result = LocatedList(loader.construct_object(child, deep=True) for child in node.value)
    result.line = node.start_mark.line + 1
    result.lines = [child.start_mark.line + 1 for child in node.value]
    return result


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)


class YamlSyntaxError(ValueError):
    """The text is not YAML (or uses a forbidden construct); ``line`` is 1-based."""

    def __init__(self, line: int, problem: str) -> None:
        super().__init__(problem)
        self.line = line
        self.problem = problem


def load(text: str) -> Any:
    """Parse one YAML document into Located dicts and lists (plain scalars otherwise)."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 (a SafeLoader subclass)
    except DuplicateKey as error:
        mark = error.problem_mark
        raise YamlSyntaxError(mark.line + 1 if mark else 0, "duplicate") from error
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlSyntaxError(line, error.problem or str(error)) from error
    except yaml.YAMLError as error:
        raise YamlSyntaxError(0, str(error)) from error
