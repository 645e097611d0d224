"""Stage 1, load: YAML text -> a tree of :class:`Node` values that remember where they were written.

Input: a YAML file. Output: a :class:`Node` tree (mappings, sequences and
scalars), every node holding its line and column so that later stages can
say exactly where a problem is. Only YAML's safe types are built: a tag such
as ``!!python/object`` is an error, never code. A key written twice in one
mapping is an error too, because YAML would otherwise keep only the last
value and silently drop the first.
"""

from __future__ import annotations

import re
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
    cut: str | None = None
    """For unquoted text: a comment YAML found right after it on the same line."""

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
    converter = _Converter(name, text)
    node = converter.convert(root)
    ContentError.collect(converter.problems)
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
    elif (
        "expected alphabetic or numeric character" in what
        or "expected key" in what
        or "expected <block end>" in what
    ):
        hint = " (text that starts with *, &, [, {, !, | or > needs quotes)"
    return Problem(f"YAML syntax error: {what}{hint}", _location(mark, name))


class _Converter:
    """Turns PyYAML's node graph into :class:`Node` values, collecting every problem."""

    def __init__(self, name: str, text: str) -> None:
        self.name = name
        self.lines = text.splitlines()
        self.constructor = yaml.SafeLoader("")
        self.problems: list[Problem] = []
        # Aliases make the same yaml node appear many times; convert it once so a
        # "billion laughs" document cannot blow up memory here.
        self.seen: dict[int, Node] = {}

    def convert(self, node: yaml.Node) -> Node:
        if id(node) in self.seen:
            return self.seen[id(node)]
        location = _location(node.start_mark, self.name)
        result: Node
        if isinstance(node, yaml.MappingNode):
            result = self.mapping(node, location)
        elif isinstance(node, yaml.SequenceNode):
            if node.tag != "tag:yaml.org,2002:seq":
                self.problem(f"unsupported YAML tag {_tag(node.tag)!r}", location)
            result = Node([self.convert(child) for child in node.value], location)
        else:
            result = Node(self.scalar(node, location), location, cut=self.comment_after(node))
        self.seen[id(node)] = result
        return result

    def problem(self, message: str, location: Location) -> None:
        self.problems.append(Problem(message, location))

    def mapping(self, node: yaml.MappingNode, location: Location) -> Node:
        if node.tag != "tag:yaml.org,2002:map":
            self.problem(f"unsupported YAML tag {_tag(node.tag)!r}", location)
        values: dict[str, Node] = {}
        keys: dict[str, Location] = {}
        self.constructor.flatten_mapping(node)  # resolves "<<" merge keys
        for key_node, value_node in node.value:
            key_location = _location(key_node.start_mark, self.name)
            key = self.scalar(key_node, key_location)
            if not isinstance(key, str):
                self.problem(f"keys must be words (got {key!r})", key_location)
            elif key in values:
                first = keys[key].line
                self.problem(f"key {key!r} is written twice (first at line {first})", key_location)
            else:
                keys[key] = key_location
                values[key] = self.convert(value_node)
        return Node(values, location, keys)

    def scalar(self, node: yaml.Node, location: Location) -> Any:
        if not isinstance(node, yaml.ScalarNode):
            self.problem("expected a single value here (got a list or mapping)", location)
            return None
        try:
            return self.constructor.construct_object(node, deep=True)
        except yaml.constructor.ConstructorError:
            self.problem(
                f"unsupported YAML tag {_tag(node.tag)!r}: only plain text, numbers, "
                "true/false, lists and mappings are allowed",
                location,
            )
            return None

    def comment_after(self, node: yaml.Node) -> str | None:
        """The comment YAML found right after an unquoted value on its line, if any.

        ``room #4 on the first floor`` is read by YAML as ``room`` and a comment: the
        text is lost unless quoted. Later stages refuse it for text that is printed.
        Only a '#' followed directly by a letter or digit counts: ``value  # note`` is
        the usual way to comment a line, and stays a comment.
        """
        end = node.end_mark
        if getattr(node, "style", None) or end is None or end.line >= len(self.lines):
            return None  # quoted or block text: a '#' there is part of the text
        rest = self.lines[end.line][end.column :]
        # "# note" reads as a comment someone meant; "#4" or "#hashtag" reads as text.
        match = re.match(r"\s+(#\S.*)$", rest)
        return match.group(1) if match else None
