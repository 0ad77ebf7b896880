#!/usr/bin/python3
"""Alembic's own heads and bases for many environments, in one process.

Usage: alembic_heads.py MANIFEST.json
MANIFEST.json is a JSON list of absolute alembic.ini paths (optionally "path.ini#section").
Prints one JSON object: {entry: {"heads": [...], "bases": [...], "warnings": [...]}
or {"error": "ExceptionType: message"}}. Heads and bases are sorted; duplicates
(Alembic's phantom heads) are kept.
"""
import json
import os
import sys
import warnings

from alembic.config import Config
from alembic.script import ScriptDirectory


def answer(entry):
    path, _, section = entry.partition("#")
    # Relative paths in an ini are relative to where alembic runs: the ini's folder, as people run it.
    os.chdir(os.path.dirname(os.path.abspath(path)))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        script = ScriptDirectory.from_config(Config(path, ini_section=section or "alembic"))
        heads = script.get_heads()
        bases = script.get_bases()
    return {"heads": sorted(heads), "bases": sorted(bases), "warnings": [str(w.message) for w in caught]}


def main():
    with open(sys.argv[1]) as f:
        manifest = json.load(f)
    out = {}
    for entry in manifest:
        try:
            out[entry] = answer(entry)
        except BaseException as e:  # a broken history must not stop the batch
            out[entry] = {"error": "%s: %s" % (type(e).__name__, e)}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
