"""JSON (from serialize.to_jsonable) back into model objects, for results kept in the database,
and model objects into plain JSON values fast (plain).

Decoders are built once per type and cached: reading back a whole batch is on the batch's
serial path, so the type hints are not re-inspected for every value.
"""

from __future__ import annotations

import dataclasses
import sys
import types
import typing
from collections.abc import Callable
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Any

from .. import model
from ..serialize import OMIT_WHEN_EMPTY

Decoder = Callable[[Any], Any]


def from_jsonable(kind: Any, data: Any) -> Any:
    """Rebuild a value of type `kind` (a model dataclass, Enum, Decimal, tuple, dict, union)."""
    return decoder_for(kind)(data)


@cache
def decoder_for(kind: Any) -> Decoder:
    origin = typing.get_origin(kind)
    if origin in (typing.Union, types.UnionType):
        inner = decoder_for(next(a for a in typing.get_args(kind) if a is not type(None)))
        return lambda data: None if data is None else inner(data)
    if origin is tuple:
        return _tuple_decoder(typing.get_args(kind))
    if origin is dict:
        key, value = (decoder_for(a) for a in typing.get_args(kind))
        return lambda data: {key(k): value(v) for k, v in data.items()}
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass_decoder(kind)
    if isinstance(kind, type) and issubclass(kind, Enum):
        return lambda data: None if data is None else kind(data)
    if kind is Decimal:
        return lambda data: None if data is None else Decimal(data)
    if kind is str:  # sentences, sections, sources repeat across facts: keep one copy of each
        return lambda data: None if data is None else sys.intern(data)
    return lambda data: data


def _tuple_decoder(args: tuple[Any, ...]) -> Decoder:
    if len(args) == 2 and args[1] is Ellipsis:
        item = decoder_for(args[0])
        return lambda data: tuple(item(v) for v in data)
    items = [decoder_for(a) for a in args]
    return lambda data: tuple(d(v) for d, v in zip(items, data, strict=True))


PLAIN = (int, float, bool, int | None, float | None, bool | None)


def _dataclass_decoder(kind: type) -> Decoder:
    hints = typing.get_type_hints(kind, vars(model))
    # positional, and plain ints/bools passed through untouched: this is the hot loop of a read-back
    steps = [(f.name, None if hints[f.name] in PLAIN else decoder_for(hints[f.name])) for f in dataclasses.fields(kind)]

    def decode(data: Any) -> Any:
        if data is None:
            return None
        try:
            return kind(*[d(data[name]) if d else data[name] for name, d in steps])
        except KeyError:  # written before a defaulted field was added to the model
            return kind(**{name: d(data[name]) if d else data[name] for name, d in steps if name in data})

    return decode


# The other way, on the workers' hot path: model objects to plain JSON values, as
# serialize.to_jsonable gives them.


@cache
def _field_names(kind: Any) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind))


SCALARS = (str, int, bool, float, type(None))


def plain(obj: Any) -> Any:
    """serialize.to_jsonable, with each dataclass's field names looked up once."""
    kind: Any = type(obj)
    if kind in SCALARS:
        return obj
    if kind is Decimal:
        return format(obj, "f")
    if isinstance(obj, Enum):
        return obj.value
    if kind is tuple or kind is list:
        return [plain(v) for v in obj]
    if kind is dict:
        return {str(k): plain(v) for k, v in obj.items()}
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {name: plain(value) for name in _field_names(kind)
                if (value := getattr(obj, name)) not in ((), None) or name not in OMIT_WHEN_EMPTY}
    from ..serialize import to_jsonable

    return to_jsonable(obj)
