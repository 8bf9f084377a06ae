"""serve: build, serve on this computer, rebuild on every change."""

from __future__ import annotations

import argparse
import datetime as dt
import sys

from .arguments import add_cache_arguments, add_output, as_port
from .caching import cache_folder_of, loaded_cache

SERVE_HELP = "build, serve on this computer, rebuild on every change and reload the browser"


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default: 127.0.0.1, this computer only)",
    )
    parser.add_argument("--port", type=as_port, default=8000, help="port (default: 8000)")
    add_output(parser)
    add_cache_arguments(parser, "render everything at the start, without the build cache")


def run_serve(args: argparse.Namespace, now: dt.datetime) -> int:
    from ..incremental.folder import tag_cache_folder
    from ..serving import serve

    out = args.output if args.output is not None else args.site / "public"
    # The last build's cache lets serve start without rendering what that build did.
    folder = cache_folder_of(args, "serve")
    if folder is not None:
        try:
            # Serve keeps texts and a spare output there, though it saves no cache file.
            tag_cache_folder(folder)
        except OSError as exc:
            print(
                f"policygen: the cache folder {folder} cannot be used ({exc.strerror or exc}); this serve uses no cache",
                file=sys.stderr,
            )
            folder = None
    cache = loaded_cache(folder)
    return serve(
        args.site,
        out,
        host=args.host,
        port=args.port,
        as_of=args.as_of,
        cache=cache,
        debug=getattr(args, "debug", False),
    )
