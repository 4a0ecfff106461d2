"""Names every JavaScript object has, which cdktf's construct tree cannot take as they are.

cdktf runs its constructs in Node through jsii. The construct library keeps a scope's children
by id in a plain object and asks it whether an id is taken, so a child whose id names a property
of ``Object.prototype`` is taken before it is made ("There is already a Construct with name
'constructor'"); and jsii refuses ``__proto__`` as a key of any map it carries ("Key
'__proto__' is not supported in maps or JSON values"). Either would crash synth after the
config check accepted the name, so every place a config name becomes an id or a map key goes
through this module (read in constructs 10.7.2 and jsii 1.119).
"""

from __future__ import annotations

OBJECT_PROPERTIES = frozenset(
    {
        "constructor", "__proto__", "toString", "toLocaleString", "valueOf", "hasOwnProperty",
        "isPrototypeOf", "propertyIsEnumerable", "__defineGetter__", "__defineSetter__",
        "__lookupGetter__", "__lookupSetter__",
    }
)  # fmt: skip
_REFUSED_MAP_KEY = "__proto__"


def construct_id(name: str) -> str:
    """The construct id for a node whose Terraform name is ``name`` (which the constructs set
    themselves, so it stays ``name``): ``name``, with ``_`` added when every JavaScript object
    has a property of that name."""
    return f"{name}_" if name in OBJECT_PROPERTIES else name


def map_key_problem(key: str) -> str | None:
    """Why jsii cannot carry ``key`` as a key of a map (such as the provider's tags), or None."""
    if key == _REFUSED_MAP_KEY:
        return (
            f"{key!r} is a name JavaScript reserves, and cdktf (jsii) refuses it as a map key: "
            "choose another"
        )
    return None
