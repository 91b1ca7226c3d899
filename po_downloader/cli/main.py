"""``po-downloader``: the window (no arguments), or run a batch, sign in, try the bundled demo portal.

Exit codes: 0 every valid PO ended COMPLETED or NO_ATTACHMENTS; 1 otherwise; 2 bad input or configuration.
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import sys
from pathlib import Path

from po_downloader import __version__
from po_downloader.engine.status import EXIT_BAD_INPUT, EXIT_FAILURES, EXIT_OK
from po_downloader.engine.system.paths import app_dirs
from po_downloader.engine.system.settings import BROWSERS

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILURES", "EXIT_OK", "build_parser", "main"]


def _common_browser_flags(p: argparse.ArgumentParser) -> None:
    p.add_argument("--base-url", help="Coupa address, e.g. https://yourcompany.coupahost.com (remembered)")
    p.add_argument("--browser", choices=BROWSERS, help="browser to drive (default: edge; remembered)")
    p.add_argument(
        "--profile-dir",
        type=Path,
        help="an existing Edge/Chrome 'User Data' folder to copy "
        "(default: po-downloader's own sign-in profile; remembered)",
    )
    p.add_argument("--profile-name", help="profile inside --profile-dir (default: Default)")
    p.add_argument(
        "--driver", type=Path, help="path to msedgedriver/chromedriver (default: Selenium Manager)"
    )


def _count(text: str) -> int:
    """A whole number, 0 or more (argparse says what is wrong with anything else)."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected 0 or more, not {value}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="po-downloader", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument(
        "--dev-dir", type=Path, help="keep settings, logs and profiles here (tests, development)"
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show informational messages")
    parser.add_argument(
        "--smoke-test", action="store_true", help="open the window, load every resource, exit"
    )
    sub = parser.add_subparsers(dest="command")

    run = sub.add_parser("run", help="download every attachment of the POs in a spreadsheet")
    run.add_argument("input", type=Path, help="CSV or Excel file with a PO column")
    run.add_argument("--out", type=Path, help="download root (remembered)")
    run.add_argument("--workers", type=int, help="parallel browsers (default: from cores and memory)")
    run.add_argument(
        "--headless",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="hide the browser windows (default: yes)",
    )
    run.add_argument("--results", type=Path, help="results file (default: <input>_results.<ext> beside it)")
    run.add_argument("--all", action="store_true", help="also redo rows already COMPLETED in a results sheet")
    run.add_argument(
        "--po-column",
        metavar="NAME",
        help="the column that holds the PO numbers (default: recognised by its header or values, or the "
        "column chosen in the window for sheets with these headers)",
    )
    again = run.add_mutually_exclusive_group()
    again.add_argument(
        "--resume",
        dest="resume",
        action="store_const",
        const=True,
        default=None,
        help="carry on this sheet's interrupted batch (default: do so when the sheet is unchanged)",
    )
    again.add_argument(
        "--fresh", dest="resume", action="store_const", const=False, help="start a new batch, do not resume"
    )
    again.add_argument(
        "--retry-skipped",
        action="store_true",
        help="run only the POs the breaker skipped in this sheet's last batch (once their access is fixed)",
    )
    run.add_argument(
        "--breaker",
        type=_count,
        metavar="N",
        help="stop sending a group once its last N POs all failed the same way (no access, a portal error); "
        "the group's other POs end SKIPPED (default: 10; 0: off)",
    )
    run.add_argument(
        "--breaker-group",
        metavar="COLUMN",
        help="the sheet column whose values group POs for --breaker, e.g. a company code (default: the whole batch)",
    )
    run.add_argument("--attempts", type=int, help="tries per PO before it is FAILED (default: 3)")
    run.add_argument("--download-timeout", type=float, help="seconds without progress before a file fails")
    run.add_argument(
        "--mode",
        choices=("auto", "browser", "http"),
        help="read PO pages over HTTP where proven (auto, the default), never (browser), or wherever the "
        "served page proves its list, unchecked (http); also PO_DOWNLOADER_MODE",
    )
    run.add_argument(
        "--facts",
        action=argparse.BooleanOptionalAction,
        help="add what each PO's page shows to the results sheet: PO status, total and currency, supplier "
        "number, company, payment term, created date, requester, requisition number (default: as set in "
        "the window's Settings, else off)",
    )
    run.add_argument(
        "--folders",
        metavar="TEMPLATE",
        help="where PO folders go below --out (remembered; default: '{supplier}/{po}'): page tokens {supplier} "
        "{po} {year} {month}, or any column of the sheet by its header, e.g. '{Centro de custo}/{supplier}/{po}'",
    )
    run.add_argument("--no-governor", action="store_true", help="do not reduce workers under CPU/memory load")
    run.add_argument(
        "--grid",
        metavar="URL",
        help="run the browsers on a Selenium Grid 4 (e.g. http://gridhost:4444): workers follow its free slots; "
        "also PO_DOWNLOADER_GRID",
    )
    run.add_argument(
        "--grid-wait", type=float, help="seconds to wait for a free slot on the Grid (default: 300)"
    )
    _common_browser_flags(run)

    sign_in = sub.add_parser("sign-in", help="open a browser window to sign in to Coupa once")
    _common_browser_flags(sign_in)

    demo = sub.add_parser("demo", help="run a batch against the bundled Coupa-like demo portal")
    demo.add_argument("--out", type=Path, help="download root (default: in the app's data folder)")
    demo.add_argument("--workers", type=int, default=None)
    demo.add_argument("--count", type=int, default=24, help="how many POs in the demo sheet")
    demo.add_argument(
        "--browser", choices=BROWSERS, help="default: the first installed of edge/chrome/chromium"
    )
    demo.add_argument("--visible", action="store_true", help="show the browser windows")
    return parser


def _opened_sheet(argv: list[str]) -> Path | None:
    """The sheet when the app was started as ``po-downloader <file>``: Windows' "Open with" does that."""
    if len(argv) != 1 or argv[0].startswith("-"):
        return None
    from po_downloader.engine.input.sheet import SUPPORTED_SUFFIXES

    path = Path(argv[0])
    return path if path.suffix.lower() in SUPPORTED_SUFFIXES and path.is_file() else None


def main(argv: list[str] | None = None) -> int:
    # A frozen app starts its spawn workers by running its own executable again: this turns that run
    # into the worker (and returns at once when not frozen). It must come before anything else.
    multiprocessing.freeze_support()
    sheet = _opened_sheet(sys.argv[1:] if argv is None else argv)
    if sheet is not None:
        from po_downloader.ui.app import run_gui

        return run_gui(open_file=sheet)
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        from po_downloader.ui.app import run_gui  # Qt only for the window: the CLI runs without it

        return run_gui(dev_dir=args.dev_dir, smoke=args.smoke_test)
    dirs = app_dirs(args.dev_dir)
    from po_downloader.engine.system.logs import setup_logging

    log_file = setup_logging(dirs, console_level=logging.INFO if args.verbose else logging.WARNING)
    if args.command == "run":
        from po_downloader.cli.run import run_command

        return run_command(args, dirs, log_file)
    if args.command == "sign-in":
        from po_downloader.cli.signin import sign_in_command

        return sign_in_command(args, dirs)
    from po_downloader.cli.demo import demo_command

    return demo_command(args, dirs, log_file)


if __name__ == "__main__":
    sys.exit(main())
