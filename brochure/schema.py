"""A declared schema: frozen dataclasses whose type hints say what a YAML file may hold.

The content model (:mod:`brochure.model`) and the theme (:mod:`brochure.theme`)
are written as ordinary frozen dataclasses. Each field is declared with
:func:`option` (a docstring and, if it has one, a default). :class:`Validator`
walks a :class:`~brochure.load.Node` tree against those type hints and returns
the dataclass instances, collecting *every* problem with its location rather
than stopping at the first. The same declarations generate the reference
tables in ``docs/``.

Types understood: ``str`` (data never drawn: slugs, addresses), :data:`Text`
(drawn literally), :data:`Rich` (drawn, with inline Markdown), :data:`Length`
("3mm"), ``int``, ``float``, ``bool``, ``Literal[...]``, ``X | None``,
``tuple[X, ...]`` (with :class:`Size`), ``dict[str, X]``, dataclasses, and
:class:`Tagged` unions written as one-key mappings (``- paragraph: ...``).
"""

from __future__ import annotations

import dataclasses
import difflib
import types
import typing
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

from .errors import Location, Problem
from .units import parse_length

if TYPE_CHECKING:
    # Only for the annotations (new nodes are made with type(node)): the theme's classes
    # import this module, and the process that lays out must not load PyYAML for them.
    from .load import Node

__all__ = [
    "INVALID",
    "Invalid",
    "Length",
    "Rich",
    "Size",
    "Tagged",
    "Text",
    "Validator",
    "describe",
    "option",
    "unknown_name",
]


class _Marker:
    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_TEXT = _Marker("text")
_RICH = _Marker("rich")
_LENGTH = _Marker("length")

Text = Annotated[str, _TEXT]
"""Text that is drawn on the page exactly as written."""
Rich = Annotated[str, _RICH]
"""Text that is drawn, with inline Markdown: ``*emphasis*``, ``**strong**``, ``[link](url)``."""
Length = Annotated[float, _LENGTH]
"""A length written with a unit ("3mm", "9.5pt", "1cm", "0.5in"), held in points."""


@dataclass(frozen=True)
class Size:
    """How many items a list may hold."""

    min: int = 0
    max: int | None = None


class Tagged:
    """Base of a union written as a one-key mapping: ``- paragraph: "..."``.

    Subclasses set :attr:`tag` (the key) and :attr:`shorthand`: the field that
    takes the value when it is written directly instead of as a mapping.
    """

    tag: ClassVar[str] = ""
    shorthand: ClassVar[str | None] = None


class Invalid(ValueError):
    """Raised by a dataclass's ``__post_init__`` when one field breaks a rule."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.message = message


class _Invalid:
    def __repr__(self) -> str:
        return "INVALID"


INVALID: Any = _Invalid()
"""Returned for a value that failed validation (its problem is already recorded)."""


def option(doc: str, default: Any = dataclasses.MISSING, *, factory: Any = None) -> Any:
    """Declare a field: its docstring and, when it is optional, its default."""
    metadata = {"doc": doc}
    if factory is not None:
        return dataclasses.field(default_factory=factory, metadata=metadata)
    return dataclasses.field(default=default, metadata=metadata)


def _hints(cls: type) -> dict[str, Any]:
    cached = _HINTS.get(cls)
    if cached is None:
        cached = typing.get_type_hints(cls, include_extras=True)
        _HINTS[cls] = cached
    return cached


_HINTS: dict[type, dict[str, Any]] = {}


def _tagged_classes(base: type) -> dict[str, type]:
    found: dict[str, type] = {}
    stack: list[type] = list(base.__subclasses__())
    while stack:
        cls = stack.pop()
        tag = getattr(cls, "tag", "")
        if tag:
            found[tag] = cls
        stack.extend(cls.__subclasses__())
    return dict(sorted(found.items()))


def describe(tp: Any) -> str:
    """Name the type ``tp`` the way an error message or the docs say it."""
    origin, args = get_origin(tp), get_args(tp)
    if origin is Annotated:
        marker = args[1]
        if marker is _LENGTH:
            return "a length such as 3mm"
        if marker is _RICH:
            return "text (inline Markdown allowed)"
        if isinstance(marker, Size):
            return describe(args[0])
        return "text"
    if origin is Literal:
        return "one of " + ", ".join(str(a) for a in args)
    if origin in (Union, types.UnionType):
        real = [a for a in args if a is not type(None)]
        return " or ".join(describe(a) for a in real)
    if origin is tuple:
        return f"a list of {_plural(describe(args[0]))}"
    if origin is dict:
        return f"a mapping of names to {_plural(describe(args[1]))}"
    if isinstance(tp, type) and issubclass(tp, Tagged):
        return "one of " + ", ".join(_tagged_classes(tp))
    if dataclasses.is_dataclass(tp):
        return "a mapping"
    return {str: "text", int: "a whole number", float: "a number", bool: "true or false"}.get(
        tp, getattr(tp, "__name__", str(tp))
    )


def _plural(text: str) -> str:
    for article in ("a ", "an "):
        if text.startswith(article):
            return text[len(article) :] + "s"
    return text


def _got(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


class Validator:
    """Turns a :class:`Node` tree into dataclass instances, recording every problem.

    ``check_text`` is called with every drawn string (:data:`Text` and
    :data:`Rich` fields) and returns the characters the fonts cannot draw.
    """

    def __init__(self, check_text: Callable[[str], list[str]] | None = None) -> None:
        self.problems: list[Problem] = []
        self._check_text = check_text
        self._where: dict[tuple[int, str], Location] = {}

    def location(self, record: object, name: str = "") -> Location | None:
        """Where ``record`` (or its field ``name``) was written, if it came from a file."""
        return self._where.get((id(record), name)) or self._where.get((id(record), ""))

    def error(self, message: str, location: Location | None, path: str) -> Any:
        self.problems.append(Problem(message, location, path))
        return INVALID

    def validate(self, node: Node, tp: Any, path: str) -> Any:
        """Return ``node`` as a value of type ``tp``, or :data:`INVALID`."""
        origin, args = get_origin(tp), get_args(tp)
        if origin is Annotated:
            return self._annotated(node, args[0], args[1], path)
        if origin in (Union, types.UnionType):
            return self._optional(node, args, path)
        if origin is Literal:
            if node.value in args:
                return node.value
            message = f"expected {describe(tp)} (got {_got(node.value)})"
            return self.error(message, node.location, path)
        if origin is tuple:
            return self._sequence(node, args[0], path, Size())
        if origin is dict:
            return self._mapping(node, args[1], path)
        if isinstance(tp, type) and issubclass(tp, Tagged) and not getattr(tp, "tag", ""):
            return self._tagged(node, tp, path)
        if dataclasses.is_dataclass(tp):
            assert isinstance(tp, type)
            return self.record(node, tp, path)
        return self._scalar(node, tp, path)

    def _annotated(self, node: Node, base: Any, marker: Any, path: str) -> Any:
        if isinstance(marker, Size):
            return self._sequence(node, get_args(base)[0], path, marker)
        if marker is _LENGTH:
            if isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
                if node.value == 0:
                    return 0.0
                return self.error(
                    f"expected a length with a unit such as {node.value}mm (got {node.value})",
                    node.location,
                    path,
                )
            if isinstance(node.value, str):
                try:
                    return parse_length(node.value)
                except ValueError:
                    pass
            return self.error(
                f"expected a length such as 3mm or 9.5pt (got {_got(node.value)})",
                node.location,
                path,
            )
        value = self._scalar(node, str, path)
        if value is not INVALID and node.cut is not None:
            return self.error(
                f"the text stops before {node.cut!r}: in YAML, ' #' starts a comment; "
                "put the text in quotes to keep the '#', or the comment on a line of its own",
                node.location,
                path,
            )
        if value is not INVALID and self._check_text is not None:
            self._check_glyphs(value, node.location, path)
        return value

    def _check_glyphs(self, text: str, location: Location, path: str) -> None:
        assert self._check_text is not None
        for char in dict.fromkeys(self._check_text(text)):
            name = unicodedata.name(char, "unnamed character")
            self.error(
                f"character {char!r} (U+{ord(char):04X} {name}) cannot be drawn with the "
                "brochure's fonts",
                location,
                path,
            )

    def _optional(self, node: Node, args: tuple[Any, ...], path: str) -> Any:
        real = [a for a in args if a is not type(None)]
        if node.value is None:
            return None
        if len(real) == 1:
            return self.validate(node, real[0], path)
        raise TypeError(f"unsupported union {args}")  # a schema bug, not a user error

    def _scalar(self, node: Node, tp: type, path: str) -> Any:
        value = node.value
        if tp is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if tp is str and isinstance(value, (int, float)) and not isinstance(value, bool):
            return str(value)  # "code: 101" means the text 101
        if isinstance(value, tp) and not (tp is int and isinstance(value, bool)):
            return value
        return self.error(f"expected {describe(tp)} (got {_got(value)})", node.location, path)

    def _sequence(self, node: Node, item: Any, path: str, size: Size) -> Any:
        if not isinstance(node.value, list):
            return self.error(f"expected a list (got {_got(node.value)})", node.location, path)
        count = len(node.value)
        if count < size.min or (size.max is not None and count > size.max):
            bounds = f"{size.min} to {size.max}" if size.max is not None else f"at least {size.min}"
            self.error(f"expected {bounds} items (got {count})", node.location, path)
        values = [self.validate(child, item, f"{path}[{i}]") for i, child in enumerate(node.value)]
        if any(v is INVALID for v in values):
            return INVALID
        return tuple(values)

    def _mapping(self, node: Node, item: Any, path: str) -> Any:
        if not isinstance(node.value, dict):
            return self.error(f"expected a mapping (got {_got(node.value)})", node.location, path)
        values = {k: self.validate(v, item, f"{path}.{k}") for k, v in node.value.items()}
        if any(v is INVALID for v in values.values()):
            return INVALID
        return values

    def _tagged(self, node: Node, base: type, path: str) -> Any:
        choices = _tagged_classes(base)
        if isinstance(node.value, str) and node.value in choices:
            bare = choices[node.value]  # a bare "- page_break"
            return self.record(type(node)(None, node.location), bare, f"{path}.{node.value}")
        if not isinstance(node.value, dict) or len(node.value) != 1:
            return self.error(
                f"expected a one-key mapping such as '{next(iter(choices))}: ...' "
                f"(got {_got(node.value)})",
                node.location,
                path,
            )
        ((tag, inner),) = node.value.items()
        cls = choices.get(tag)
        if cls is None:
            return self.error(
                unknown_name("kind", tag, list(choices)), node.key_locations[tag], path
            )
        path = f"{path}.{tag}"
        short = getattr(cls, "shorthand", None)
        if not isinstance(inner.value, dict) and short:
            inner = type(inner)({short: inner}, inner.location, {short: inner.location})
            return self.record(inner, cls, path, shorthand=True)
        return self.record(inner, cls, path)

    def record(self, node: Node, cls: type, path: str, *, shorthand: bool = False) -> Any:
        """Validate a mapping into the dataclass ``cls``."""
        if not isinstance(node.value, dict):
            if node.value is None and not any(_required(f) for f in dataclasses.fields(cls)):
                node = type(node)({}, node.location)
            else:
                message = f"expected a mapping (got {_got(node.value)})"
                return self.error(message, node.location, path)
        fields = {f.name: f for f in dataclasses.fields(cls) if f.init}
        hints = _hints(cls)
        unknown = [key for key in node.value if key not in fields]
        for key in unknown:
            self.error(unknown_name("key", key, list(fields)), node.key_locations.get(key), path)
        kwargs: dict[str, Any] = {}
        for name, f in fields.items():
            child = node.value.get(name)
            sub = path if shorthand else f"{path}.{name}" if path else name
            if child is None:
                if _required(f):
                    # A misspelt key already said "did you mean"; do not say it twice.
                    if not difflib.get_close_matches(name, unknown, n=1, cutoff=0.6):
                        self.error(f"missing required key {name!r}", node.location, path)
                    kwargs[name] = INVALID
                continue
            kwargs[name] = self.validate(child, hints[name], sub)
        if unknown or any(v is INVALID for v in kwargs.values()):
            return INVALID
        try:
            value = cls(**kwargs)
        except Invalid as exc:  # a __post_init__ rule
            child = node.value.get(exc.field)
            where = child.location if child is not None else node.location
            sub = path if shorthand else f"{path}.{exc.field}" if path else exc.field
            return self.error(exc.message, where, sub)
        self._where[(id(value), "")] = node.location
        for name, child in node.value.items():
            self._where[(id(value), name)] = child.location
        return value


def _required(f: dataclasses.Field[Any]) -> bool:
    return f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING


def unknown_name(what: str, name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    hint = f" (did you mean {close[0]!r}?)" if close else f" (expected one of {', '.join(known)})"
    return f"unknown {what} {name!r}{hint}"


def schema_rows(cls: type) -> Iterator[tuple[str, str, str, str]]:
    """(key, type, default, doc) for every field of ``cls``, for the reference docs."""
    hints = _hints(cls)
    for f in dataclasses.fields(cls):
        if not f.init:
            continue
        if _required(f):
            default = "required"
        elif f.default_factory is not dataclasses.MISSING:
            default = "(empty)"
        else:
            default = repr(f.default) if f.default is not None else "(none)"
        yield f.name, describe(hints[f.name]), default, f.metadata.get("doc", "")
