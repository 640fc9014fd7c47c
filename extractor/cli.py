"""The `jixiao` command. The only module that prints to a terminal.

Exit codes, for every subcommand: 0 all good; 1 a finding of severity error; 2 an input could not
be read (or the command was used wrongly). An unreadable file is one line on stderr naming the file
and the reason, never a traceback (`--debug` shows it).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from . import __version__
from .errors import ReadError

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2


def _print_json(data) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def cmd_parse(args: argparse.Namespace) -> int:
    from .readers import read

    document = read(args.file)
    _print_json(document.model_dump(mode="json", exclude_none=True))
    return EXIT_OK


def cmd_extract(args: argparse.Namespace) -> int:
    from .pipeline import process

    record = process(args.file)
    _print_json(record.model_dump(mode="json"))
    return EXIT_OK


def cmd_sections(args: argparse.Namespace) -> int:
    from .readers import read
    from .sections import segment
    from .sections.render import render_tree

    outline = segment(read(args.file))
    print(render_tree(outline))
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import SCHEMA_FILES, render, write_all

    if args.write:
        for path in write_all():
            print(f"wrote {path}")
    else:
        print(render(SCHEMA_FILES["record.schema.json"]), end="")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="jixiao", description="Read budget performance self-evaluation reports (绩效自评报告) into checked data."
    )
    parser.add_argument("--version", action="version", version=f"jixiao {__version__}")
    parser.add_argument("--debug", action="store_true", help="show tracebacks instead of one-line errors")
    sub = parser.add_subparsers(dest="command", required=True)

    def command(name: str, func: Callable[[argparse.Namespace], int], help: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help, description=help)
        p.set_defaults(func=func)
        return p

    command("parse", cmd_parse, "print the blocks of FILE (paragraphs and tables with provenance) as JSON").add_argument(
        "file", type=Path
    )
    command("extract", cmd_extract, "print the whole record of FILE as JSON").add_argument("file", type=Path)
    command("sections", cmd_sections, "print the section tree of FILE").add_argument("file", type=Path)
    command("schema", cmd_schema, "print the JSON Schema of the record (--write: regenerate schemas/*.schema.json)").add_argument(
        "--write", action="store_true"
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except ReadError as error:
        print(f"jixiao: {error.path}: {error.reason}", file=sys.stderr)
        return EXIT_UNREADABLE
    except BrokenPipeError:  # `jixiao parse x | head`
        return EXIT_OK
    except Exception as error:  # a bug must still not bury the user in a traceback
        if args.debug:
            raise
        target = getattr(args, "file", None) or getattr(args, "paths", None) or ""
        print(f"jixiao: {target}: internal error ({type(error).__name__}: {error}); rerun with --debug", file=sys.stderr)
        return EXIT_UNREADABLE


if __name__ == "__main__":
    sys.exit(main())
