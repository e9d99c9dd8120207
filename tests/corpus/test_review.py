"""`clearpath corpus review`: what is overdue and what is due soon, per document."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path

from corpus.load import corpus_files, parse_document
from corpus.review import review_schedule
from tests.corpus.test_validate import GOOD, write

EXE = str(Path(sys.executable).parent / "clearpath")


def _corpus(folder: Path) -> None:
    # GOOD is reviewed 2026-11-20 and due 2027-05-20.
    write(folder, "late", GOOD.format(id="late").replace("review_due: 2027-05-20",
                                                         "review_due: 2027-01-10"))
    write(folder, "soon", GOOD.format(id="soon").replace(
        "review_due: 2027-05-20", "review_due: 2027-02-20").replace(
        "summary:", "volatile: true\nsummary:").replace(
        "Content editor (source check)", "Regulatory editor"))
    write(folder, "later", GOOD.format(id="later"))


def test_schedule_splits_overdue_from_due_soon(tmp_path: Path) -> None:
    _corpus(tmp_path)
    docs = [parse_document(p)[0] for p in corpus_files(tmp_path)]
    overdue, soon = review_schedule(docs, dt.date(2027, 2, 1), within=30)
    assert [(d.doc_id, d.days) for d in overdue] == [("late", -22)]
    assert [(d.doc_id, d.days, d.volatile, d.reviewed_by) for d in soon] == [
        ("soon", 19, True, "Regulatory editor")]
    overdue, soon = review_schedule(docs, dt.date(2027, 2, 1), within=200)
    assert [d.doc_id for d in soon] == ["soon", "later"]


def test_review_command_prints_each_document_with_its_reviewer(tmp_path: Path) -> None:
    _corpus(tmp_path)
    out = subprocess.run([EXE, "corpus", "review", "--dir", str(tmp_path), "--on", "2027-02-01"],
                         capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.splitlines()
    assert lines[0] == "Corpus review on 2027-02-01 (window: next 30 days)"
    assert lines[1] == "Overdue: 1"
    assert lines[2] == "  2027-01-10  late  (22 day(s) overdue)"
    assert lines[3].startswith("      reviewer: Content editor (source check); ")
    assert lines[4] == "Due in the next 30 days: 1"
    assert lines[5] == "  2027-02-20  soon  (due in 19 day(s), volatile)"
    assert "reviewer: Regulatory editor" in lines[6] and "later" not in out.stdout
    quiet = subprocess.run([EXE, "corpus", "review", "--dir", str(tmp_path),
                            "--on", "2026-11-21"], capture_output=True, text=True, timeout=60)
    assert quiet.stdout.splitlines()[-1] == "Nothing is overdue or due in the window."
