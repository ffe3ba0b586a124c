"""``python -m wingspan_nb.sandbox [--port N] [--token T] [--latency S] [--count N] [--today YYYY-MM-DD]``:
serve until Ctrl-C."""

from __future__ import annotations

import argparse
import os
from datetime import date
from typing import Any

from . import SandboxServer


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m wingspan_nb.sandbox", description=__doc__)
    parser.add_argument("--port", type=int, default=int(os.environ.get("WINGSPAN_SANDBOX_PORT", "0")))
    parser.add_argument("--token", default=None, help="bearer token to require (default: random)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every reply")
    parser.add_argument("--count", type=int, default=None, help="serve this many demo invoices (default 48)")
    parser.add_argument(
        "--today", type=date.fromisoformat, default=None, help="date the demo invoices from (default: today)"
    )
    args = parser.parse_args(argv)
    kwargs: dict[str, Any] = {"token": args.token} if args.token else {}
    if args.count is not None:
        kwargs["count"] = args.count
    server = SandboxServer(port=args.port, latency=args.latency, today=args.today, **kwargs).start()
    print(f"Wingspan sandbox on {server.url} with {len(server.ids())} demo invoices.", flush=True)
    print(f"  export WINGSPAN_SERVER_URL={server.url}", flush=True)
    print(f"  export WINGSPAN_API_TOKEN={server.token}", flush=True)
    print("Ctrl-C stops it.", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
