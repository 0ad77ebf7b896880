#!/usr/bin/python3
"""Django's own leaf and root migrations per app (MigrationLoader), for many projects in one process.

Usage: django_leaves.py MANIFEST.json
MANIFEST.json: {"paths": [project dirs to put on sys.path], "apps": [app package names]}.
App names must be unique across projects. Prints JSON:
{"leaves": {app: [names]}, "roots": {app: [names]}, "conflicts": {app: [names]}} or {"error": "..."}.
"""
import json
import sys


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    sys.path[:0] = manifest["paths"]
    import django
    from django.conf import settings

    settings.configure(
        INSTALLED_APPS=manifest["apps"],
        DATABASES={},
        USE_TZ=True,
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    )
    django.setup()
    from django.db.migrations.loader import MigrationLoader

    try:
        loader = MigrationLoader(None, ignore_no_migrations=True)
    except BaseException as e:
        json.dump({"error": "%s: %s" % (type(e).__name__, e)}, sys.stdout)
        return
    leaves, roots = {}, {}
    for app, name in loader.graph.leaf_nodes():
        leaves.setdefault(app, []).append(name)
    for app, name in loader.graph.root_nodes():
        roots.setdefault(app, []).append(name)
    json.dump({"leaves": leaves, "roots": roots, "conflicts": loader.detect_conflicts()}, sys.stdout)


if __name__ == "__main__":
    main()
