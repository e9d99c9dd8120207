"""Parse corpus documents into plain data.

The parser is lenient: it never raises on content. Structural problems it meets are
returned as `Problem`s so that `validate.py` can report every problem of every file at
once, each as `file:line: message`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CORPUS_DIR = Path(__file__).parent / "docs"
HELPLINES_FILE = Path(__file__).parent / "helplines.yaml"
# The labelled questions: the development part (tuning, Q: line work, the answerability
# model's fit at index build time) and the test part, written later by another writer in
# other styles, reported on and never tuned on (docs/calibration.md).
QUESTIONS_DIR = Path(__file__).parent / "questions"
QUESTIONS_FILE = QUESTIONS_DIR / "dev.jsonl"
TEST_QUESTIONS_FILE = QUESTIONS_DIR / "test.jsonl"

_HEADING = re.compile(r"^(#{1,6})\s+(.*\S)\s*$")
_TRAILING_CITES = re.compile(r"(?:\s*\[\^([A-Za-z0-9_.-]+)\])+\s*$")
_CITE = re.compile(r"\[\^([A-Za-z0-9_.-]+)\]")
_QUESTION = "Q:"
_FACTUAL = "Factual-report:"


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str
    severity: str = "error"  # or "warning"

    def __str__(self) -> str:
        tag = "" if self.severity == "error" else "warning: "
        return f"{self.path}:{self.line}: {tag}{self.message}"


@dataclass(frozen=True)
class Source:
    key: str
    title: str
    publisher: str
    url: str
    accessed: str


@dataclass(frozen=True)
class Paragraph:
    n: int
    line: int
    text: str
    citations: tuple[str, ...]
    heading_path: tuple[str, ...]
    questions: tuple[str, ...] = ()
    factual_report: str | None = None


@dataclass
class Document:
    path: Path
    meta: dict[str, Any]
    meta_lines: dict[str, int]
    body_line: int
    paragraphs: list[Paragraph] = field(default_factory=list)

    @property
    def id(self) -> str:
        return str(self.meta.get("id", self.path.stem))

    @property
    def title(self) -> str:
        return str(self.meta.get("title", self.id))

    @property
    def sources(self) -> dict[str, Source]:
        found: dict[str, Source] = {}
        for raw in self.meta.get("sources") or []:
            if isinstance(raw, dict) and raw.get("key"):
                found[str(raw["key"])] = Source(
                    key=str(raw["key"]),
                    title=str(raw.get("title", "")),
                    publisher=str(raw.get("publisher", "")),
                    url=str(raw.get("url", "")),
                    accessed=str(raw.get("accessed", "")),
                )
        return found

    @property
    def reviewed_on(self) -> str:
        return str(self.meta.get("reviewed_on", ""))

    def line_of(self, key: str) -> int:
        return self.meta_lines.get(key, 1)


def parse_document(path: Path) -> tuple[Document, list[Problem]]:
    """Split front matter from body and the body into cited paragraphs."""
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    problems: list[Problem] = []
    meta: dict[str, Any] = {}
    meta_lines: dict[str, int] = {}
    body_start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() == "---"), None)
        if end is None:
            problems.append(Problem(path, 1, "front matter is not closed with '---'"))
        else:
            try:
                loaded = yaml.safe_load("\n".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = mark.line + 2 if mark is not None else 1
                problems.append(Problem(path, line, f"front matter is not valid YAML: {exc}"))
                loaded = {}
            if isinstance(loaded, dict):
                meta = loaded
            else:
                problems.append(Problem(path, 1, "front matter must be a YAML mapping"))
            for i in range(1, end):
                m = re.match(r"^([A-Za-z_]+):", lines[i])
                if m:
                    meta_lines.setdefault(m.group(1), i + 1)
            body_start = end + 1
    else:
        problems.append(Problem(path, 1, "missing YAML front matter (a first line '---')"))
    doc = Document(path=path, meta=meta, meta_lines=meta_lines, body_line=body_start + 1)
    doc.paragraphs, body_problems = _parse_body(path, lines, body_start)
    return doc, problems + body_problems


def _parse_body(
    path: Path, lines: list[str], start: int
) -> tuple[list[Paragraph], list[Problem]]:
    paragraphs: list[Paragraph] = []
    problems: list[Problem] = []
    headings: list[tuple[int, str]] = []
    block: list[tuple[int, str]] = []

    def flush() -> None:
        if block:
            para = _parse_block(path, block, tuple(h for _, h in headings), len(paragraphs) + 1,
                                problems)
            if para is not None:
                paragraphs.append(para)
            block.clear()

    for i in range(start, len(lines)):
        raw = lines[i].rstrip()
        heading = _HEADING.match(raw)
        if heading:
            flush()
            level = len(heading.group(1))
            headings[:] = [h for h in headings if h[0] < level] + [(level, heading.group(2))]
        elif not raw.strip():
            flush()
        else:
            block.append((i + 1, raw.strip()))
    flush()
    return paragraphs, problems


def _parse_block(
    path: Path,
    block: list[tuple[int, str]],
    heading_path: tuple[str, ...],
    n: int,
    problems: list[Problem],
) -> Paragraph | None:
    text_lines: list[str] = []
    questions: list[str] = []
    factual: str | None = None
    for line_no, raw in block:
        if raw.startswith(_QUESTION):
            question = raw[len(_QUESTION):].strip()
            if not question:
                problems.append(Problem(path, line_no, "empty 'Q:' line"))
            questions.append(question)
        elif raw.startswith(_FACTUAL):
            factual = raw[len(_FACTUAL):].strip()
            if not factual:
                problems.append(Problem(path, line_no, "'Factual-report:' needs a reason"))
        elif questions or factual is not None:
            problems.append(
                Problem(path, line_no, "paragraph text after 'Q:'/'Factual-report:' lines")
            )
        else:
            if raw[:1] in "-*>|<" or re.match(r"^\d+[.)]\s", raw):
                problems.append(
                    Problem(path, line_no, "write prose: lists, tables, quotes and HTML are not "
                            "passages")
                )
            text_lines.append(raw)
    first_line = block[0][0]
    if not text_lines:
        problems.append(
            Problem(path, first_line, "'Q:'/'Factual-report:' lines must sit directly under "
                    "their paragraph")
        )
        return None
    text = " ".join(text_lines)
    trailing = _TRAILING_CITES.search(text)
    citations: tuple[str, ...] = ()
    if trailing:
        citations = tuple(_CITE.findall(trailing.group(0)))
        text = text[: trailing.start()].rstrip()
    if _CITE.search(text):
        problems.append(
            Problem(path, first_line, "citation keys go at the end of the paragraph")
        )
        text = _CITE.sub("", text).strip()
    return Paragraph(
        n=n,
        line=first_line,
        text=text,
        citations=citations,
        heading_path=heading_path,
        questions=tuple(questions),
        factual_report=factual,
    )


def corpus_files(corpus_dir: Path = CORPUS_DIR) -> list[Path]:
    return sorted(corpus_dir.glob("*.md"))
