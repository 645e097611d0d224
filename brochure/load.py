"""Stage 1, load: YAML text -> a tree of :class:`Node` values that remember where they were written.

Input: a YAML file. Output: a :class:`Node` tree (mappings, sequences and
scalars), every node holding its line and column so that later stages can
say exactly where a problem is. Only YAML's safe types are built: a tag such
as ``!!python/object`` is an error, never code. A key written twice in one
mapping is an error too, because YAML would otherwise keep only the last
value and silently drop the first.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import ContentError, Location, Problem

__all__ = ["Node", "display_path", "load_yaml", "parse_yaml"]


@dataclass(frozen=True, slots=True)
class Node:
    """A YAML value with its source location."""

    value: Any
    """``dict[str, Node]`` for a mapping, ``list[Node]`` for a sequence, else a scalar."""
    location: Location
    """Where the value starts."""
    key_locations: dict[str, Location] = field(default_factory=dict)
    """For a mapping: where each key is written (to point at a misspelt key)."""

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_sequence(self) -> bool:
        return isinstance(self.value, list)

    def plain(self) -> Any:
        """The value with every location stripped (dicts, lists and scalars)."""
        if isinstance(self.value, dict):
            return {k: v.plain() for k, v in self.value.items()}
        if isinstance(self.value, list):
            return [v.plain() for v in self.value]
        return self.value


def display_path(path: Path) -> str:
    """``path`` relative to the working folder when it lies below it, else absolute."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_yaml(path: Path) -> Node:
    """Read and parse the YAML file at ``path``.

    Parsed trees are kept (they are immutable in use) while the file is unchanged, so
    a rebuild in the same process (``brochure watch``) parses only what was edited.
    """
    name = display_path(path)
    try:
        stat = path.stat()
        key = (str(path.resolve()), stat.st_mtime_ns, stat.st_size, name)
        cached = _PARSED.get(key)
        if cached is not None:
            return cached
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ContentError(Problem("file not found", Location(name))) from None
    except UnicodeDecodeError as exc:
        raise ContentError(
            Problem(f"not UTF-8 text (byte {exc.start} cannot be read)", Location(name))
        ) from None
    except OSError as exc:
        raise ContentError(Problem(f"cannot read: {exc.strerror}", Location(name))) from None
    node = parse_yaml(text, name)
    if len(_PARSED) > 32:
        _PARSED.clear()
    _PARSED[key] = node
    return node


_PARSED: dict[tuple[str, int, int, str], Node] = {}

# libyaml's parser when it is there (several times faster), with the same marks.
_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def parse_yaml(text: str, name: str) -> Node:
    """Parse YAML ``text`` that came from the file called ``name``."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        raise ContentError(_yaml_problem(exc, name)) from None
    except yaml.YAMLError as exc:  # e.g. several documents in one file
        raise ContentError(Problem(str(exc).splitlines()[0], Location(name))) from None
    finally:
        loader.dispose()
    if root is None:
        return Node({}, Location(name, 1, 1))
    problems: list[Problem] = []
    node = _convert(root, name, yaml.SafeLoader(""), problems, {})
    ContentError.collect(problems)
    return node


def _tag(tag: str) -> str:
    """A tag as it is written in YAML: ``!!python/object`` rather than its full URI."""
    return (
        "!!" + tag.removeprefix("tag:yaml.org,2002:")
        if tag.startswith("tag:yaml.org,2002:")
        else tag
    )


def _location(mark: yaml.Mark | None, name: str) -> Location:
    if mark is None:
        return Location(name)
    return Location(name, mark.line + 1, mark.column + 1)


def _yaml_problem(exc: yaml.MarkedYAMLError, name: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    what = exc.problem or exc.context or "cannot read this YAML"
    hint = ""
    if "found character '\\t'" in what or "tab character" in what:
        hint = " (indent with spaces, not tabs)"
    elif "mapping values are not allowed" in what:
        hint = " (a value with ': ' in it needs quotes)"
    return Problem(f"YAML syntax error: {what}{hint}", _location(mark, name))


def _convert(
    node: yaml.Node,
    name: str,
    constructor: yaml.SafeLoader,
    problems: list[Problem],
    seen: dict[int, Node],
) -> Node:
    # Aliases make the same yaml node appear many times; convert it once so a
    # "billion laughs" document cannot blow up memory here.
    if id(node) in seen:
        return seen[id(node)]
    location = _location(node.start_mark, name)
    result: Node
    if isinstance(node, yaml.MappingNode):
        result = _convert_mapping(node, name, constructor, problems, seen, location)
    elif isinstance(node, yaml.SequenceNode):
        if node.tag != "tag:yaml.org,2002:seq":
            problems.append(Problem(f"unsupported YAML tag {_tag(node.tag)!r}", location))
        items = [_convert(child, name, constructor, problems, seen) for child in node.value]
        result = Node(items, location)
    else:
        result = Node(_scalar(node, constructor, problems, location), location)
    seen[id(node)] = result
    return result


def _convert_mapping(
    node: yaml.MappingNode,
    name: str,
    constructor: yaml.SafeLoader,
    problems: list[Problem],
    seen: dict[int, Node],
    location: Location,
) -> Node:
    if node.tag != "tag:yaml.org,2002:map":
        problems.append(Problem(f"unsupported YAML tag {_tag(node.tag)!r}", location))
    values: dict[str, Node] = {}
    keys: dict[str, Location] = {}
    constructor.flatten_mapping(node)  # resolves "<<" merge keys
    for key_node, value_node in node.value:
        key_location = _location(key_node.start_mark, name)
        key = _scalar(key_node, constructor, problems, key_location)
        if not isinstance(key, str):
            problems.append(Problem(f"keys must be words (got {key!r})", key_location))
            continue
        if key in values:
            first = keys[key]
            problems.append(
                Problem(f"key {key!r} is written twice (first at line {first.line})", key_location)
            )
            continue
        keys[key] = key_location
        values[key] = _convert(value_node, name, constructor, problems, seen)
    return Node(values, location, keys)


def _scalar(
    node: yaml.Node, constructor: yaml.SafeLoader, problems: list[Problem], location: Location
) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        problems.append(Problem("expected a single value here (got a list or mapping)", location))
        return None
    try:
        return constructor.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError:
        problems.append(
            Problem(
                f"unsupported YAML tag {_tag(node.tag)!r}: only plain text, numbers, "
                "true/false, lists and mappings are allowed",
                location,
            )
        )
        return None
