"""`@frozen` behaves as `@dataclass(frozen=True)`: every class made with it, against one made by dataclasses."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import inspect
import pickle
from dataclasses import FrozenInstanceError, field
from typing import Any

import pytest

from drilltui.frozen import frozen

MODULES = ("drilltui.engine.events", "drilltui.engine.commands", "drilltui.engine.state", "drilltui.engine.activity",
           "drilltui.scenario.model", "drilltui.store.records", "drilltui.store.chain", "drilltui.ui.settings",
           "drilltui.ui.notices", "drilltui.ui.messages", "drilltui.ui.search")


def made_with_frozen() -> list[type]:
    found = []
    for name in MODULES:
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == name and dataclasses.is_dataclass(value):
                found.append(value)
    return found


CLASSES = made_with_frozen()


def test_the_modules_make_their_classes_with_frozen() -> None:
    assert len(CLASSES) > 70
    for cls in CLASSES:
        assert cls.__setattr__.__qualname__ == f"{cls.__qualname__}.__setattr__", cls


def reference(cls: type) -> type:
    """The same class as `@dataclass(frozen=True[, slots=True])` makes it."""
    spec = [(f.name, f.type, field(default=f.default, default_factory=f.default_factory, init=f.init, repr=f.repr,
                                   hash=f.hash, compare=f.compare)) for f in dataclasses.fields(cls)]
    namespace = {k: v for k, v in vars(cls).items() if k == "__post_init__"}
    made = dataclasses.make_dataclass(cls.__name__, spec, namespace=namespace, frozen=True, slots="__slots__" in vars(cls))
    made.__qualname__ = cls.__qualname__
    return made


def sample(type_text: str, name: str) -> Any:
    """A value of a field's type (as written), good enough to build, compare, copy and print."""
    from drilltui.engine import events as ev
    from drilltui.engine import state as st
    from drilltui.scenario import model as m

    first = next((t for t in type_text.split(" | ") if t != "None"), "None")
    if first == "None":
        return None
    simple = {"str": f"v-{name}", "int": 7, "float": 2.5, "bool": True, "Any": f"any-{name}"}
    if first in simple:
        return simple[first]
    if first.startswith("tuple["):
        return ("a", "b") if "str" in first else ()
    if first == "dict" or first.startswith("dict["):
        return {}
    if first.startswith("Appended["):
        return st.Appended()
    objects = {
        "EventBody": lambda: ev.DrillStarted("s", "t"),
        "Scenario": lambda: m.Scenario("s", "S", 60, (m.Role("r", "R"),), (m.Inject("I-1", "t", ("r",)),)),
        "Inject": lambda: m.Inject("I-1", "t", ("r",)),
        "Decision": lambda: m.Decision("p", (m.Option("o", "O"),)),
        "Trigger": lambda: m.Trigger("I-1", "acknowledged"),
        "Clock": lambda: st.Clock(),
        "Event": lambda: ev.Event(ev.DrillStarted("s", "t"), 0.0, "w"),
    }
    if first in objects:
        return objects[first]()
    if type_text != first:
        return None  # an optional value of some other type
    raise AssertionError(f"no sample for {type_text!r} ({name})")


def arguments(cls: type) -> dict[str, Any]:
    return {f.name: sample(str(f.type), f.name) for f in dataclasses.fields(cls)
            if f.init and f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}


def outcome(call: Any) -> Any:
    try:
        return ("value", call())
    except Exception as exc:  # noqa: BLE001 - the kind of failure is what is compared
        return ("raises", type(exc))


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__qualname__)
def test_a_class_behaves_as_dataclasses_would_make_it(cls: type) -> None:
    ref = reference(cls)
    assert str(inspect.signature(cls)) == str(inspect.signature(ref))
    assert cls.__match_args__ == ref.__match_args__  # type: ignore[attr-defined]
    if cls.__doc__ and cls.__doc__.startswith(f"{cls.__name__}("):  # written by dataclasses for want of a docstring
        assert cls.__doc__ == ref.__doc__
    args = arguments(cls)
    ours, theirs = cls(**args), ref(**args)
    assert repr(ours) == repr(theirs)
    assert outcome(lambda: hash(ours)) == outcome(lambda: hash(theirs))
    assert ours == cls(**args) and not (ours != cls(**args))
    assert ours != theirs and (ours == theirs) is False  # another class: NotImplemented both ways
    assert dataclasses.asdict(ours) == dataclasses.asdict(theirs)  # type: ignore[call-overload]
    for f in dataclasses.fields(cls):
        with pytest.raises(FrozenInstanceError, match=f"cannot assign to field '{f.name}'"):
            setattr(ours, f.name, 1)
        with pytest.raises(FrozenInstanceError, match=f"cannot delete field '{f.name}'"):
            delattr(ours, f.name)
        if f.init and f.compare:
            other = "changed" if not isinstance(getattr(ours, f.name), str) else getattr(ours, f.name) + "!"
            changed = outcome(lambda: dataclasses.replace(ours, **{f.name: other}))  # type: ignore[type-var]
            expected = outcome(lambda: dataclasses.replace(theirs, **{f.name: other}))  # type: ignore[type-var]
            assert changed[0] == expected[0]
            if changed[0] == "value":
                assert repr(changed[1]) == repr(expected[1])
                assert changed[1] != ours or getattr(ours, f.name) == other
    assert copy.copy(ours) == ours and copy.deepcopy(ours) == ours
    assert pickle.loads(pickle.dumps(ours)) == ours


# -- what the engine's classes do not show ---------------------------------------------


@frozen
class Base:
    a: int
    b: str = "b"


@frozen
class Rich(Base):
    """Has a docstring."""

    items: list[int] = field(default_factory=list)
    hidden: str = field(default="h", repr=False, compare=False)
    later: dict[str, int] = field(init=False, repr=False, compare=False)
    fixed: int = field(default=5, init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "later", {"a": self.a})


@frozen(slots=True)
class Slotted:
    x: int
    y: tuple[int, ...] = ()
    z: int = field(default=3, init=False)


class Plain(Base):
    """Not a dataclass itself: a subclass that adds its own attributes."""

    def __init__(self, a: int) -> None:
        super().__init__(a)


def test_defaults_factories_init_false_fields_and_post_init() -> None:
    r = Rich(1)
    assert (r.a, r.b, r.items, r.hidden, r.later, r.fixed) == (1, "b", [], "h", {"a": 1}, 5)
    assert Rich(1).items is not Rich(1).items
    assert repr(r) == "Rich(a=1, b='b', items=[], fixed=5)"
    assert Rich(1, hidden="x") == Rich(1)
    assert Rich.__doc__ == "Has a docstring."
    assert str(inspect.signature(Rich)) == "(a: 'int', b: 'str' = 'b', items: 'list[int]' = <factory>, hidden: 'str' = 'h') -> None"
    assert Rich.__doc__ and Base.__doc__ == "Base(a: 'int', b: 'str' = 'b')"
    with pytest.raises(TypeError):
        hash(r)  # a list field, as with dataclasses
    assert dataclasses.replace(r, a=2).later == {"a": 2}


def test_slots_copy_pickle_and_assignment() -> None:
    s = Slotted(1, (2,))
    assert not hasattr(s, "__dict__") and s.z == 3
    assert copy.deepcopy(s) == s and pickle.loads(pickle.dumps(s)) == s
    assert hash(s) == hash((1, (2,), 3))
    with pytest.raises(FrozenInstanceError):
        s.x = 2  # type: ignore[misc]
    with pytest.raises((FrozenInstanceError, AttributeError)):
        s.other = 1  # type: ignore[attr-defined]


def test_a_plain_subclass_may_add_attributes_as_with_dataclasses() -> None:
    p = Plain(1)
    p.extra = 2  # type: ignore[attr-defined]  # not a field, and not the frozen class itself
    assert p.extra == 2  # type: ignore[attr-defined]
    with pytest.raises(FrozenInstanceError):
        p.a = 3  # type: ignore[misc]
    assert str(inspect.signature(Plain)) == "(a: 'int') -> 'None'"  # its own __init__


def test_the_init_is_written_on_first_use_and_checked_at_once() -> None:
    @frozen
    class Late:
        a: int

    assert getattr(Late.__init__, "_frozen_make", None) is not None
    assert Late(1).a == 1
    assert getattr(Late.__init__, "_frozen_make", None) is None
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):
        @frozen
        class Wrong:
            a: int = 1
            b: int
    with pytest.raises(TypeError):
        Late()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        Late(1, 2)  # type: ignore[call-arg]


class _Recorded:
    """A data descriptor as a field's default: object.__setattr__ would call its __set__."""

    def __init__(self) -> None:
        self.set: list[Any] = []

    def __get__(self, instance: object, owner: type) -> Any:
        return "default" if instance is None else instance.__dict__.get("_seen", "unset")

    def __set__(self, instance: object, value: Any) -> None:
        self.set.append(value)
        instance.__dict__["_seen"] = value


def test_init_stores_as_object_setattr_would() -> None:
    recorded = _Recorded()

    @frozen
    class WithDescriptor:
        plain: int
        guarded: Any = recorded

    made = WithDescriptor(1, "given")
    assert (made.plain, made.guarded, recorded.set) == (1, "given", ["given"])  # the descriptor saw it
    with pytest.raises(FrozenInstanceError):
        made.plain = 2  # type: ignore[misc]

    @frozen
    class Base:
        a: int

    class Slotted(Base):
        __slots__ = ("b",)

        def __init__(self, a: int, b: int) -> None:
            super().__init__(a)
            object.__setattr__(self, "b", b)

    both = Slotted(1, 2)
    assert (both.a, both.b, both.__dict__) == (1, 2, {"a": 1})
