"""FastAPI's own route table for test fixtures: the oracle of the navigation tests.

Reads a JSON list on stdin, one entry per application:
    {"id": "...", "root": "/abs/fixture", "paths": ["src"], "app": "pkg.main:app"}
``app`` may name a factory with ``pkg.main:create_app()``. Imports every application
in this one process and prints a JSON object: id -> [[METHOD, path], ...] for the
``APIRoute``s of ``app.routes`` in registration order (one pair per method, methods
sorted), or id -> {"error": "..."} when the import fails.
"""
import importlib
import json
import os
import sys
import traceback

sys.dont_write_bytecode = True


def routes_of(app):
    from fastapi.routing import APIRoute

    out = []
    for route in app.routes:
        if isinstance(route, APIRoute):
            for method in sorted(route.methods):
                out.append([method, route.path])
    return out


def load(spec):
    module_name, _, attr = spec["app"].partition(":")
    call = attr.endswith("()")
    attr = attr[:-2] if call else attr
    saved_path = list(sys.path)
    saved_modules = set(sys.modules)
    sys.path[:0] = [os.path.join(spec["root"], p) for p in spec.get("paths", ["."])]
    try:
        module = importlib.import_module(module_name)
        app = getattr(module, attr)
        if call:
            app = app()
        return routes_of(app)
    finally:
        sys.path[:] = saved_path
        for name in set(sys.modules) - saved_modules:
            del sys.modules[name]


def main():
    specs = json.load(sys.stdin)
    result = {}
    for spec in specs:
        try:
            result[spec["id"]] = load(spec)
        except Exception:  # noqa: BLE001 - reported to the test, which fails on it
            result[spec["id"]] = {"error": traceback.format_exc(limit=3)}
    json.dump(result, sys.stdout)


if __name__ == "__main__":
    main()
