"""``planner report --format pdf|csv --out PATH``: a report of a stored plan and its runs.

Main thread of the CLI process. Defaults to the latest stored plan and the runs it
used; ``--scenario`` picks another plan (scenario or plan id, or a prefix) and ``--runs``
other runs. The PDF needs Qt's painting only: an offscreen QGuiApplication is made when
there is no display. The PDF writer is imported only when a PDF is asked for, so every
other command runs where Qt is not installed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from planner.cli.context import open_for
from planner.core.files import check_output_file
from planner.core.text import check_name, printable
from planner.reports.csv_report import write_csv
from planner.services.reports import load_report


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("report", help="write a PDF or CSV report of a plan and runs")
    parser.add_argument("--format", choices=("pdf", "csv"), required=True, help="report format")
    parser.add_argument("--scenario", metavar="ID", help="scenario or plan id (or a prefix)")
    parser.add_argument("--runs", nargs="+", metavar="ID", help="run ids (or prefixes)")
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        help="PDF file; for CSV a name (report.csv -> report_runs.csv, report_points.csv, "
        "report_options.csv, report_monthly.csv, report_assumptions.csv) or an existing folder",
    )
    parser.add_argument("--author", help="author on the cover (default: 'author not given')")
    parser.add_argument("--site", help="site on the cover (default: the runs' sites)")
    parser.set_defaults(handler=_report)


def _report(args: argparse.Namespace) -> int:
    author = check_name(args.author, "--author") if args.author else ""
    chosen_site = check_name(args.site, "--site") if args.site else None
    if args.format == "pdf":
        check_output_file(args.out, "PDF report")
    opened = open_for(args)
    try:
        data = load_report(opened, args.scenario, tuple(args.runs or ()))
    finally:
        opened.close()
    if args.format == "csv":
        for path in write_csv(data, args.out):
            print(f"Wrote {printable(str(path))}")
        return 0
    from planner.reports.pdf_report import write_pdf  # Qt loads only for a PDF

    site = chosen_site or ", ".join(data.sites)
    path = write_pdf(data, args.out, author, site)
    print(f"Wrote {printable(str(path))}")
    return 0
