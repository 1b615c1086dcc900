"""Validates Data Package descriptors with the reference Frictionless validator, in one process.

Usage: python tools/frictionless_validate.py DATAPACKAGE.json...
Prints one line per error (the descriptor, the error type, the message) and exits 1 when any
package is invalid; rows are read and checked against their schemas and foreign keys.
"""
import sys

from frictionless import system, validate


def main(paths):
    bad = 0
    with system.use_context(trusted=False):
        for path in paths:
            report = validate(path, type="package")
            if report.valid:
                continue
            bad += 1
            for err in report.errors:
                print(f"{path}: {err.type}: {err.message}")
            for task in report.tasks:
                for err in task.errors[:20]:
                    print(f"{path} [{task.name}]: {err.type}: {err.message}")
    print(f"{len(paths)} paket diperiksa, {bad} tidak sah")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
