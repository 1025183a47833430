"""`drilltui bundle DRILL -o drill.zip`: the evidence of a drill as plain files, and their offline check."""

from __future__ import annotations

import argparse


def add(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("bundle", help="write a drill's evidence bundle")
    p.add_argument("drill")
    p.set_defaults(func=lambda a: 0)


def verify_bundle(args: argparse.Namespace) -> int:
    raise NotImplementedError
