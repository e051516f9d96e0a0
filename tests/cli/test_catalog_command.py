"""``planner catalog``: seeded rows, all-or-nothing imports, export round trip."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from planner.cli.main import main


def _cloud_rows(db: Path, capsys: pytest.CaptureFixture[str]) -> list[dict]:
    assert main(["--db", str(db), "catalog", "list", "--kind", "cloud", "--json"]) == 0
    return json.loads(capsys.readouterr().out)["cloud"]


def test_seeded_rows_carry_source_and_date(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = _cloud_rows(tmp_path / "p.db", capsys)
    g4dn = next(r for r in rows if r["instance"] == "g4dn.xlarge" and r["pricing"] == "on-demand")
    assert g4dn["price_per_hour"] == 0.526
    assert g4dn["date"] == "2026-01-21" and g4dn["source"]
    assert all(r["source"] and r["date"] for r in rows)


def test_export_edit_import_round_trip(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, csv_path = tmp_path / "p.db", tmp_path / "cloud.csv"
    assert main(["--db", str(db), "catalog", "export", str(csv_path), "--kind", "cloud"]) == 0
    capsys.readouterr()
    text = csv_path.read_text()
    edited = text.replace(",0.526,", ",0.5,")
    edited += (
        "acme,gpu.small,eu-west-1,NVIDIA L4,1,on-demand,0.7,EUR,acme price list,2026-11-01,no,6\n"
    )
    csv_path.write_text(edited)
    assert main(["--db", str(db), "catalog", "import", str(csv_path)]) == 0
    assert "1 rows added, 17 replaced" in capsys.readouterr().out
    rows = _cloud_rows(db, capsys)
    assert any(
        r["instance"] == "gpu.small" and r["currency"] == "EUR" and r["vcpus"] == 6 for r in rows
    )
    assert next(r for r in rows if r["instance"] == "g4dn.xlarge")["price_per_hour"] == 0.5


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("aws,x.large,us-east-1,T4,1,on-demand,-3,USD,s,2026-01-01,yes", "line 3: price_per_hour"),
        ("aws,x.large,us-east-1,T4,1,on-demand,1,XYZ,s,2026-01-01,yes", "line 3: currency"),
        ("aws,x.large,us-east-1,T4,1,on-demand,1,USD,s,2026-13-01,yes", "line 3: date"),
        ("aws,x.large,us-east-1,T4,1,on-demand,,USD,s,2026-01-01,yes", "line 3: price_per_hour"),
    ],
)
def test_bad_rows_reject_the_whole_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    db, csv_path = tmp_path / "p.db", tmp_path / "cloud.csv"
    before = _cloud_rows(db, capsys)
    header = "provider,instance,region,gpu,gpu_count,pricing,price_per_hour,currency,"
    header += "source,date,verified"
    good = "acme,ok.large,us-east-1,T4,1,on-demand,1,USD,s,2026-01-01,yes"
    csv_path.write_text(f"{header}\n{good}\n{line}\n")
    assert main(["--db", str(db), "catalog", "import", str(csv_path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1
    assert _cloud_rows(db, capsys) == before


@pytest.mark.parametrize(
    ("key", "value", "allowed"),
    [
        # 50 a year is 5,000%: a scenario's discount_rate is a fraction from 0 to 1.
        ("discount_rate", "50", "from 0 to 1"),
        # 0.001 years is under 9 hours of service life; a scenario asks 0.25 to 30 years.
        ("depreciation_years", "0.001", "from 0.25 to 30"),
        # A scenario's staff_fte stops at 1,000 people; the cloud row fills the same key.
        ("staff_fte_cloud", "5000", "from 0 to 1,000"),
        # A scenario's free egress stops at 1e12 GB a month.
        ("egress_free_gb_per_month", "1e13", "from 0 to"),
    ],
)
def test_cost_defaults_take_the_scenario_range_of_their_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], key: str, value: str, allowed: str
) -> None:
    db, csv_path = tmp_path / "p.db", tmp_path / "defaults.csv"
    header = "key,value,low,high,unit,currency,source,date,verified"
    csv_path.write_text(f"{header}\n{key},{value},{value},{value},u,,s,2026-01-01,yes\n")
    assert main(["--db", str(db), "catalog", "import", str(csv_path)]) == 2
    err = capsys.readouterr().err
    assert f"line 2: {key}: value = {float(value)!r} is out of range" in err
    assert allowed in err and err.count("\n") == 1


def test_unknown_columns_are_rejected(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    csv_path = tmp_path / "mystery.csv"
    csv_path.write_text("name,colour\nx,red\n")
    assert main(["--db", str(tmp_path / "p.db"), "catalog", "import", str(csv_path)]) == 2
    err = capsys.readouterr().err
    assert "cannot tell which catalogue" in err and "--kind" in err and err.count("\n") == 1
    assert (
        main(
            [
                "--db",
                str(tmp_path / "p.db"),
                "catalog",
                "import",
                str(csv_path),
                "--kind",
                "hardware",
            ]
        )
        == 2
    )
    assert "unknown column 'colour'" in capsys.readouterr().err


FORMULAS = ['=HYPERLINK("http://x","y")', "+1+1", "-2+3", "@SUM(A1)", "'=already marked"]


def test_export_neutralises_formula_cells_and_reads_back_exactly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db, source, exported = tmp_path / "p.db", tmp_path / "in.csv", tmp_path / "out.csv"
    header = "provider,product,unit,price,currency,source,date,verified"
    rows = [
        f'acme,"{f.replace(chr(34), chr(34) * 2)}",1k_requests,1,USD,s,2026-01-01,no'
        for f in FORMULAS
    ]
    source.write_text("\n".join([header, *rows]) + "\n")
    assert main(["--db", str(db), "catalog", "import", str(source)]) == 0
    assert main(["--db", str(db), "catalog", "export", str(exported), "--kind", "api"]) == 0
    capsys.readouterr()
    with exported.open(newline="") as handle:
        cells = [row[1] for row in csv.reader(handle)][1:]
    written = [c for c in cells if c.lstrip("'") in {f.lstrip("'") for f in FORMULAS}]
    assert len(written) == len(FORMULAS)
    assert all(c.startswith("'") for c in written), "no cell starts like a formula"
    listed = json.loads(_listing(db, capsys))
    assert main(["--db", str(db), "catalog", "import", str(exported)]) == 0
    capsys.readouterr()
    assert json.loads(_listing(db, capsys)) == listed
    # a leading apostrophe before a formula is a spreadsheet's text mark, not content
    stored = {f.removeprefix("'") for f in FORMULAS}
    assert {r["product"] for r in listed["api"]} >= stored


def _listing(db: Path, capsys: pytest.CaptureFixture[str]) -> str:
    assert main(["--db", str(db), "catalog", "list", "--kind", "api", "--json"]) == 0
    return capsys.readouterr().out


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('acme,"two\nlines",1k_requests,1,USD,s,2026-01-01,no', "line 2 is not valid CSV"),
        ('acme,"a\rb",1k_requests,1,USD,s,2026-01-01,no', "line 2: product contains"),
        ("acme,a\x00b,1k_requests,1,USD,s,2026-01-01,no", "U+0000"),
        ("acme,gpu\u202ex,1k_requests,1,USD,s,2026-01-01,no", "U+202E"),
        ("acme,x,1k_requests,inf,USD,s,2026-01-01,no", "line 2: price = 'inf' is not finite"),
        (
            "acme,x,1k_requests,1e13,USD,s,2026-01-01,no",
            "price = 10000000000000.0 is out",
        ),
    ],
)
def test_hostile_rows_are_refused_with_their_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, message: str
) -> None:
    path = tmp_path / "api.csv"
    path.write_text(
        "provider,product,unit,price,currency,source,date,verified\n" + line + "\n", newline=""
    )
    assert main(["--db", str(tmp_path / "p.db"), "catalog", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "internal error" not in err
