"""Speed work must not change an answer: every development question's whole result, saved
before a change and compared after it.

    python -m bench.identical --save /tmp/before.json     # before the change
    python -m bench.identical --against /tmp/before.json  # after: lists every difference

The questions: the English and Spanish development questions and the guard's development
messages (refusals take their own path). A result is compared whole (outcome, passages and
their order, sentences, highlights, citations, related topics, helplines), as the API
serialises it. The fingerprints hold question text, so they are written outside the
repository (a path you give) and never logged.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from bench.common import log


def texts() -> list[str]:
    from api.guard.model import DATA_FILE
    from corpus.load import QUESTIONS_FILE

    spanish = QUESTIONS_FILE.parent.parent / "questions_es.jsonl"
    out: list[str] = []
    for path, key in ((QUESTIONS_FILE, "question"), (spanish, "question"), (DATA_FILE, "text")):
        out += [json.loads(line)[key] for line in path.read_text(encoding="utf-8").splitlines()
                if line.strip()]
    return list(dict.fromkeys(out))


def results(data_dir: Path | None, backend: str) -> dict[str, str]:
    """Question -> its result as the API serialises it."""
    from api.pipeline import Pipeline
    from api.settings import Settings

    settings = Settings(embed_backend=backend, embed_batch=1,
                        **({"data_dir": data_dir} if data_dir else {}))
    pipeline = Pipeline(settings)
    return {q: pipeline.answer(q).model_dump_json() for q in texts()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--save", type=Path, help="write the results here")
    parser.add_argument("--against", type=Path, help="compare with results saved here")
    parser.add_argument("--data-dir", type=Path, default=None)
    parser.add_argument("--backend", default="onnx")
    args = parser.parse_args()
    now = results(args.data_dir, args.backend)
    if args.save:
        args.save.write_text(json.dumps(now, ensure_ascii=False))
        log(f"saved {len(now)} results to {args.save}")
    if args.against:
        before = json.loads(args.against.read_text())
        differ = [i for i, q in enumerate(now) if before.get(q) != now[q]]
        missing = len(set(before) ^ set(now))
        log(f"{len(now)} questions: {len(differ)} results differ, {missing} questions "
            "not in both runs")
        for i in differ[:20]:  # positions only: no question text in the output
            log(f"differs: question #{i}")
        sys.exit(1 if differ or missing else 0)


if __name__ == "__main__":
    main()
