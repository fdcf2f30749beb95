"""The plugin manager: built-ins and entry points, loaded the same way, behind a typed facade.

Environment switches:
  SYMBL_MEDIA_LOAD_PLUGINS=a,b      load only these third-party plugins (empty: none)
  SYMBL_MEDIA_DISABLE_PLUGINS=a,b   never load these
  SYMBL_MEDIA_TRACE_PLUGINS=1       print every hook call to stderr

A third-party plugin that fails to import is skipped with a warning naming it and how to remove
it; ``strict`` (``--strict-plugins``) makes that fatal.
"""

from __future__ import annotations

import importlib
import inspect
import os
import sys
import threading
from importlib.metadata import entry_points
from typing import ClassVar

import pluggy

from symbl_media.errors import SymblMediaError
from symbl_media.plugins import hookspecs
from symbl_media.plugins.types import Engine, InputSource, Preprocessor, Sink

GROUP = "symbl_media"
# The client side's built-ins, by module name. The server adds its own (its engines) with
# add_builtin when it builds them, so this package never names a server module.
DEFAULT_PLUGINS = ("symbl_media.insights.file_sinks", "symbl_media.plugins.builtins.sources",
                   "symbl_media.plugins.builtins.preprocessors")
DEFAULT_ENGINES = {"transcriber": "whisper", "diarizer": "voice-encoder",
                   "insights": "heuristics"}


class PluginError(SymblMediaError):
    exit_code = 18


class _State:
    manager: pluggy.PluginManager | None = None
    strict = False
    problems: ClassVar[list[str]] = []
    versions: ClassVar[dict[str, str]] = {}
    owners: ClassVar[dict[str, dict[str, str]]] = {}
    # Built-in plugin modules added by add_builtin, by name; kept across reset() (they are
    # part of the package, not of one test), registered again whenever the manager is built.
    added: ClassVar[dict[str, object]] = {}
    lock = threading.RLock()  # the sandbox's worker threads may add theirs at the same time


def _names(variable: str) -> set[str] | None:
    value = os.environ.get(variable)
    if value is None:
        return None
    return {n.strip() for n in value.split(",") if n.strip()}


def manager(*, strict: bool | None = None) -> pluggy.PluginManager:
    """The process's plugin manager, built on first use."""
    if strict is not None:
        _State.strict = strict
    with _State.lock:
        if _State.manager is None:
            _State.manager = _build()
        return _State.manager


def add_builtin(module) -> None:
    """Register ``module`` (a module object implementing hooks) as a built-in plugin, under
    its module name, now and whenever the manager is built again. Adding it twice is a no-op;
    SYMBL_MEDIA_DISABLE_PLUGINS still skips it."""
    name = module.__name__
    with _State.lock:
        if name in _State.added:
            return
        _State.added[name] = module
        pm = _State.manager
        if pm is not None and name not in (_names("SYMBL_MEDIA_DISABLE_PLUGINS") or set()):
            pm.register(module, name=name)


def builtin_names() -> set[str]:
    """The names of every built-in plugin: the client side's and those added since."""
    return set(DEFAULT_PLUGINS) | set(_State.added)


def reset() -> None:
    """Forget the manager (tests, and after registering a plugin for one test)."""
    _State.manager = None
    _State.problems = []


def _build() -> pluggy.PluginManager:
    pm = pluggy.PluginManager(GROUP)
    pm.add_hookspecs(hookspecs)
    blocked = _names("SYMBL_MEDIA_DISABLE_PLUGINS") or set()
    for name in DEFAULT_PLUGINS:
        if name not in blocked:
            pm.register(importlib.import_module(name), name=name)
    for name, module in _State.added.items():
        if name not in blocked:
            pm.register(module, name=name)
    only = _names("SYMBL_MEDIA_LOAD_PLUGINS")
    for entry in entry_points(group=GROUP):
        if entry.name in blocked or (only is not None and entry.name not in only):
            continue
        try:
            plugin = entry.load()
        except Exception as exc:  # a broken plugin must not brick the command line
            dist = entry.dist.name if entry.dist else entry.name
            message = (f"plugin {entry.name!r} failed to load ({type(exc).__name__}: {exc}); "
                       f"skip it with SYMBL_MEDIA_DISABLE_PLUGINS={entry.name} or remove it "
                       f"with `pip uninstall {dist}`")
            if _State.strict:
                raise PluginError(message) from None
            _State.problems.append(message)  # the CLI shows these as warnings
            continue
        pm.register(plugin, name=entry.name)
        if entry.dist is not None:
            _State.versions[entry.name] = entry.dist.version
    pm.check_pending()
    if os.environ.get("SYMBL_MEDIA_TRACE_PLUGINS"):
        pm.trace.root.setwriter(lambda text: sys.stderr.write(text))
        pm.enable_tracing()
    return pm


def problems() -> list[str]:
    """Plugins that failed to load (skipped), one message each."""
    manager()
    return list(_State.problems)


def describe() -> list[dict]:
    """Every plugin: its name, whether it is built in, its version, hooks, sinks and
    pre-processors."""
    pm = manager()
    sink_owner = _owners(pm, "register_sinks")
    pre_owner = _owners(pm, "register_preprocessors")
    source_owner = _owners(pm, "register_sources")
    engine_owner = _owners(pm, "register_engines", key="key")
    out = []
    builtin = builtin_names()
    for name, plugin in pm.list_name_plugin():
        out.append({"name": name, "builtin": name in builtin,
                    "version": _State.versions.get(name),
                    "hooks": sorted(h.name for h in pm.get_hookcallers(plugin) or []),
                    "sources": source_owner.get(name, []),
                    "preprocessors": pre_owner.get(name, []),
                    "sinks": sink_owner.get(name, []),
                    "engines": engine_owner.get(name, [])})
    return out


def _owners(pm: pluggy.PluginManager, hook_name: str, key: str = "name"
            ) -> dict[str, list[str]]:
    """Plugin name -> the names it registers through ``hook_name``."""
    owner: dict[str, list[str]] = {}
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        caller = pm.subset_hook_caller(hook_name, remove_plugins=[
            plugin for name, plugin in pm.list_name_plugin() if name != impl.plugin_name])
        caller(register=lambda item, _o=impl.plugin_name: owner.setdefault(_o, []).append(
            getattr(item, key)))
    return owner


def hook():
    """The hook caller, for events: ``plugins.hook().job_status_changed(...)``."""
    return manager().hook


def sinks() -> dict[str, Sink]:
    """Every registered sink by name; a name registered twice is an error naming both."""
    return _collect("register_sinks", Sink)


def sources() -> list[InputSource]:
    """Input sources in the order they are tried: third-party plugins' first, so a plugin
    can claim a form of input (``s3://...``) before the built-in file and URL handling."""
    found = _collect("register_sources", InputSource)
    owners = _State.owners.get("register_sources", {})
    builtin = builtin_names()
    return sorted(found.values(), key=lambda s: owners.get(s.name) in builtin)


def preprocessors() -> dict[str, Preprocessor]:
    """Every registered audio pre-processor by name; a name registered twice is an error
    naming both plugins."""
    return _collect("register_preprocessors", Preprocessor)


def engines() -> dict[str, Engine]:
    """Sandbox engines by ``kind:name`` (e.g. ``transcriber:whisper``)."""
    return {e.key: e for e in _collect("register_engines", Engine, key="key").values()}


def engine_entry(kind: str, name: str | None = None) -> Engine:
    """The registered ``kind`` engine called ``name`` (default: the built-in one)."""
    key = f"{kind}:{name or DEFAULT_ENGINES[kind]}"
    found = engines()
    if key not in found:
        known = ", ".join(sorted(k.split(":", 1)[1] for k in found if k.startswith(kind)))
        raise PluginError(f"no {kind} engine called {key.split(':', 1)[1]!r} "
                          f"(known: {known or 'none'})")
    return found[key]


def engine(kind: str, name: str | None = None, settings: object = None):
    """Build the ``kind`` engine called ``name`` (default: the built-in one), handing its
    factory the server's engine settings when it takes them."""
    factory = engine_entry(kind, name).factory
    return factory(settings) if _takes_argument(factory) else factory()


def _takes_argument(factory) -> bool:
    # Factories written before engines had settings take none; they keep working.
    try:
        parameters = inspect.signature(factory).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature: call it plainly
        return False
    return any(p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL)
               for p in parameters)


def _collect(hook_name: str, kind: type, key: str = "name") -> dict:
    """Call a registration hook plugin by plugin (through pluggy, so tracing sees it), with
    a ``register`` that knows whose registration it is."""
    pm = manager()
    found: dict = {}
    owners: dict[str, str] = {}
    plugins = dict(pm.list_name_plugin())
    for impl in getattr(pm.hook, hook_name).get_hookimpls():
        owner = impl.plugin_name

        def register(item, _owner=owner) -> None:
            if not isinstance(item, kind):
                raise PluginError(f"plugin {_owner!r} registered {item!r}, not a "
                                  f"{kind.__name__}")
            name = getattr(item, key)
            if name in found:
                raise PluginError(f"{kind.__name__.lower()} {name!r} is registered by "
                                  f"both {owners[name]!r} and {_owner!r}")
            found[name] = item
            owners[name] = _owner
            _State.owners.setdefault(hook_name, {})[name] = _owner

        others = [plugin for name, plugin in plugins.items() if name != owner]
        pm.subset_hook_caller(hook_name, remove_plugins=others)(register=register)
    return found

