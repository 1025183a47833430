"""`@frozen`: a frozen dataclass that costs next to nothing to define.

The engine and the scenario model define about a hundred frozen dataclasses,
all made when the console starts. `@dataclass(frozen=True)` writes and compiles
six methods for each (`__init__`, `__repr__`, `__eq__`, `__hash__`,
`__setattr__`, `__delattr__`): 0.6 to 0.9 ms a class, most of the start-up
time of those modules; `@frozen` takes about 0.12 ms. `@frozen` is a dataclass all the same (`dataclasses.fields`,
`replace`, `asdict`, `is_dataclass`, `__match_args__`, copy and pickle work as
before), and behaves as `@dataclass(frozen=True)` does: the same `__init__`
(defaults, `default_factory`, `init=False` fields, `__post_init__`), the same
equality (same class, fields compared in order as a tuple), hash, repr (fields
with `repr=True`, "..." for a recursive one) and `FrozenInstanceError` on
assignment or deletion. What differs is when the work is done:

* `__init__` is compiled on the class's first instance (or when
  `inspect.signature` asks for it), as dataclasses would write it;
* `__repr__`, `__eq__`, `__hash__`, `__setattr__` and `__delattr__` are
  closures over the class's field names, made with nothing to compile.

So the class's `__dataclass_params__` records init, repr, eq and frozen as
False (it is made by `dataclass(init=False, repr=False, eq=False)`, which
compiles nothing); nothing reads it, except dataclasses when a class inherits
from another: a `@frozen` class may inherit only from `@frozen` classes (or
plain ones), and a `@dataclass(frozen=True)` class may not inherit from one.
"""

from __future__ import annotations

import dataclasses
import inspect
import reprlib
from collections.abc import Callable
from dataclasses import MISSING, Field, FrozenInstanceError
from operator import attrgetter
from typing import Any, TypeVar, dataclass_transform, overload

T = TypeVar("T")


class _Factory:
    """The default an `__init__` shows for a `default_factory` field, as dataclasses shows it."""

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _Factory()


@overload
def frozen(cls: type[T], /) -> type[T]: ...


@overload
def frozen(*, slots: bool = False) -> Callable[[type[T]], type[T]]: ...


@dataclass_transform(frozen_default=True, field_specifiers=(dataclasses.field, Field))
def frozen(cls: type[T] | None = None, /, *, slots: bool = False) -> type[T] | Callable[[type[T]], type[T]]:
    """`@dataclass(frozen=True)`, or with `slots=True` `@dataclass(frozen=True, slots=True)`."""

    def wrap(cls: type[T]) -> type[T]:
        return _make(cls, slots)

    return wrap if cls is None else wrap(cls)


def _make(cls: type[T], slots: bool) -> type[T]:
    own = cls.__dict__
    for name in ("__setattr__", "__delattr__"):
        if name in own:
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
    explicit_hash = "__hash__" in own and not (own["__hash__"] is None and "__eq__" in own)
    documented = bool(own.get("__doc__"))
    if not documented:
        cls.__doc__ = "-"  # written below, without asking inspect for the signature of an __init__ not made yet
    made: Any = dataclasses.dataclass(init=False, repr=False, eq=False, slots=slots)(cls)
    flds = dataclasses.fields(made)
    _check(made, flds)
    names = tuple(f.name for f in flds)
    methods: dict[str, Callable[..., Any]] = {}
    if "__init__" not in own:
        methods["__init__"] = _lazy_init(made, flds, slots)
        made.__signature__ = _SIGNATURE
    if "__repr__" not in own:
        methods["__repr__"] = _repr(tuple(f.name for f in flds if f.repr))
    if "__eq__" not in own:
        methods["__eq__"] = _eq(_key(tuple(f.name for f in flds if f.compare)))
    if not explicit_hash:
        methods["__hash__"] = _hash(_key(tuple(f.name for f in flds if (f.compare if f.hash is None else f.hash))))
    methods["__setattr__"], methods["__delattr__"] = _frozen(made, frozenset(names))
    if slots:
        if "__getstate__" not in own:
            made.__getstate__ = _getstate
        if "__setstate__" not in own:
            made.__setstate__ = _setstate
    for name, fn in methods.items():
        fn.__qualname__ = f"{made.__qualname__}.{name}"
        setattr(made, name, fn)
    if not documented:
        made.__doc__ = made.__name__ + _signature_text(flds)
    return made


def _check(cls: type, flds: tuple[Field[Any], ...]) -> None:
    """What dataclasses checks while writing `__init__`, and what `@frozen` does not do."""
    if len(cls.__dict__.get("__dataclass_fields__", {})) != len(flds):
        for name, f in cls.__dataclass_fields__.items():  # type: ignore[attr-defined]
            if name not in {g.name for g in flds} and "InitVar" in str(f.type):
                raise TypeError(f"{cls.__name__}.{name}: @frozen has no InitVar; use @dataclass(frozen=True)")
    seen_default = False
    for f in flds:
        if f.name == "self":
            raise TypeError(f"{cls.__name__}: @frozen takes no field named 'self'")
        if f.kw_only is True:
            raise TypeError(f"{cls.__name__}.{f.name}: @frozen has no kw_only fields; use @dataclass(frozen=True)")
        if not f.init:
            continue
        if f.default is not MISSING or f.default_factory is not MISSING:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {f.name!r} follows default argument")


# -- __init__, compiled on first use ---------------------------------------------------


def _init_source(flds: tuple[Field[Any], ...], post_init: bool, slots: bool,
                 direct: frozenset[str] = frozenset()) -> tuple[str, list[str]]:
    """The source of a frozen dataclass's `__init__`, as dataclasses writes it, and the names it closes over.

    Without annotations, which cost a third of the compiling: `_compile_init` gives the function those.
    The fields named in `direct` are stored straight into the instance's `__dict__`, which is what
    `object.__setattr__` does for them at less than half the cost.
    """
    params, body, free = ["self"], [], ["_object_setattr", "_FACTORY"]
    if direct:
        body.append("  _d = self.__dict__")
    for f in flds:
        if f.init:
            if f.default is not MISSING:
                free.append(f"_dflt_{f.name}")
                params.append(f"{f.name}=_dflt_{f.name}")
                value = f.name
            elif f.default_factory is not MISSING:
                free.append(f"_dflt_{f.name}")
                params.append(f"{f.name}=_FACTORY")
                value = f"_dflt_{f.name}() if {f.name} is _FACTORY else {f.name}"
            else:
                params.append(f.name)
                value = f.name
        elif f.default_factory is not MISSING:
            free.append(f"_dflt_{f.name}")
            value = f"_dflt_{f.name}()"
        elif f.default is not MISSING and slots:
            free.append(f"_dflt_{f.name}")
            value = f"_dflt_{f.name}"  # a slotted class has no class attribute to fall back on
        else:  # read from the class attribute, as dataclasses leaves it
            continue
        if f.name in direct:
            body.append(f"  _d[{f.name!r}] = {value}")
        else:
            body.append(f"  _object_setattr(self, {f.name!r}, {value})")
    if post_init:
        body.append("  self.__post_init__()")
    source = (f"def __create_fn__({', '.join(free)}):\n"
              f" def __init__({', '.join(params)}):\n" + ("\n".join(body) or "  pass") + "\n"
              " return __init__\n")
    return source, free


def _compile_init(cls: type, flds: tuple[Field[Any], ...], slots: bool) -> Callable[..., None]:
    source, free = _init_source(flds, hasattr(cls, "__post_init__"), slots, _direct(cls, flds))
    values: dict[str, Any] = {"_object_setattr": object.__setattr__, "_FACTORY": _FACTORY}
    for f in flds:
        values[f"_dflt_{f.name}"] = f.default_factory if f.default_factory is not MISSING else f.default
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<{cls.__qualname__}.__init__>", "exec", dont_inherit=True), {"__builtins__": __builtins__}, namespace)
    init: Callable[..., None] = namespace["__create_fn__"](*(values[name] for name in free))
    init.__qualname__ = f"{cls.__qualname__}.__init__"
    init.__module__ = cls.__module__
    init.__annotations__ = {**{f.name: f.type for f in flds if f.init}, "return": None}  # as dataclasses annotates it
    return init


def _direct(cls: type, flds: tuple[Field[Any], ...]) -> frozenset[str]:
    """The fields `__init__` may put in the instance's `__dict__` itself: all of them, unless something in the
    class could make `object.__setattr__` do more (slots anywhere in it or its bases, a descriptor that sets)."""
    if any("__slots__" in k.__dict__ for k in cls.__mro__[:-1]):
        return frozenset()

    def setting(name: str) -> bool:  # a class attribute that takes part in setting (a data descriptor)
        found = next((k.__dict__[name] for k in cls.__mro__ if name in k.__dict__), None)
        return hasattr(type(found), "__set__")

    return frozenset(f.name for f in flds if not setting(f.name))


def _lazy_init(cls: type, flds: tuple[Field[Any], ...], slots: bool) -> Callable[..., None]:
    """A stand-in `__init__` that compiles the real one, puts it in its place and calls it."""

    def __init__(self: object, *args: Any, **kwargs: Any) -> None:
        _materialize(cls)(self, *args, **kwargs)

    __init__.__module__ = cls.__module__
    __init__._frozen_make = (flds, slots)  # type: ignore[attr-defined]
    return __init__


def _materialize(cls: type) -> Callable[..., None]:
    """The `__init__` a class's instances run: its own, or the first in its bases; compiled if it was a stand-in."""
    owner = next(k for k in cls.__mro__ if "__init__" in k.__dict__)
    current = owner.__dict__["__init__"]
    make = getattr(current, "_frozen_make", None)
    if make is None:
        return current
    init = _compile_init(owner, *make)
    owner.__init__ = init  # type: ignore[misc]
    return init


class _Signature:
    """`inspect.signature(cls)`: that of the `__init__` its instances run (compiled now if it was not yet)."""

    def __get__(self, instance: object, owner: type) -> inspect.Signature:
        sig = inspect.signature(_materialize(owner))
        return sig.replace(parameters=tuple(sig.parameters.values())[1:])


_SIGNATURE = _Signature()


def _signature_text(flds: tuple[Field[Any], ...]) -> str:
    """`str(inspect.signature(cls))` without ` -> None`, as dataclasses writes it into a class's missing docstring."""
    parts = []
    for f in flds:
        if not f.init:
            continue
        text = f"{f.name}: {inspect.formatannotation(f.type)}"
        if f.default is not MISSING:
            text += f" = {f.default!r}"
        elif f.default_factory is not MISSING:
            text += f" = {_FACTORY!r}"
        parts.append(text)
    return f"({', '.join(parts)})"


# -- the shared methods --------------------------------------------------------------


def _key(names: tuple[str, ...]) -> Callable[[object], tuple[Any, ...]]:
    """The fields as a tuple, as dataclasses' methods compare and hash them."""
    if not names:
        return lambda self: ()
    if len(names) == 1:
        one = attrgetter(names[0])
        return lambda self: (one(self),)
    return attrgetter(*names)


def _eq(key: Callable[[object], tuple[Any, ...]]) -> Callable[[object, object], Any]:
    def __eq__(self: object, other: object) -> Any:
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _hash(key: Callable[[object], tuple[Any, ...]]) -> Callable[[object], int]:
    def __hash__(self: object) -> int:
        return hash(key(self))

    return __hash__


def _repr(names: tuple[str, ...]) -> Callable[[object], str]:
    @reprlib.recursive_repr()
    def __repr__(self: object) -> str:
        return self.__class__.__qualname__ + "(" + ", ".join(f"{name}={getattr(self, name)!r}" for name in names) + ")"

    return __repr__


def _frozen(cls: type, names: frozenset[str]) -> tuple[Callable[[object, str, Any], None], Callable[[object, str], None]]:
    def __setattr__(self: object, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)  # type: ignore[arg-type]  # mypy takes `self: object` for no instance

    def __delattr__(self: object, name: str) -> None:
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)  # type: ignore[arg-type]

    return __setattr__, __delattr__


def _getstate(self: object) -> list[Any]:
    return [getattr(self, f.name) for f in dataclasses.fields(self)]  # type: ignore[arg-type]


def _setstate(self: object, state: list[Any]) -> None:
    for f, value in zip(dataclasses.fields(self), state):  # type: ignore[arg-type]
        object.__setattr__(self, f.name, value)
