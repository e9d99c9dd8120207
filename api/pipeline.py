"""The whole answer path, top to bottom: validate -> guard -> retrieve -> compose.

`Pipeline` holds what is loaded once (the index and the embedding model); `answer()` is
what the CLI, the API and the pages call.
"""

from __future__ import annotations

import copy
import re
import unicodedata

from api import guard, metrics, responses
from api.compose import Limits, compose
from api.errors import IndexNotReady, InvalidQuestion
from api.guard.model import load_or_train
from api.i18n import N_
from api.schemas import Related, Result
from api.settings import Settings
from api.settings import embedder as settings_embedder
from api.spanish import SpanishAnswers
from index import artifact
from index import build as build_mod
from index import spanish as spanish_index
from index import store as store_mod
from index.coalesce import CoalescingEmbedder
from index.embed import Embedder, backend_model_name, onnx_precision
from index.embed_onnx import export, export_path
from index.records import DocumentRecord
from index.search import Searcher
from index.writing import plain_writing

# Written for the warm-up, not taken from any question set.
WARM_UP = ("how long does withdrawal from opioids last", "que es el kratom")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def clean_question(question: object, max_chars: int = 2000) -> str:
    """The question as the pipeline will read it, or `InvalidQuestion` saying what is wrong."""
    if not isinstance(question, str):
        raise InvalidQuestion(N_("the question must be text"))
    if _CONTROL.search(question):
        raise InvalidQuestion(N_("the question contains control characters"))
    text = plain_writing(unicodedata.normalize("NFC", question).strip())
    if not text:
        raise InvalidQuestion(N_("the question is empty"))
    if len(text) > max_chars:
        raise InvalidQuestion(
            f"the question is {len(text)} characters long; the limit is {max_chars}"
        )
    return text


class Pipeline:
    def __init__(self, settings: Settings, embedder: Embedder | None = None) -> None:
        self.settings = settings
        if not settings.index_from:
            state = build_mod.status(settings.data_dir, settings.corpus_dir)
            if state == "damaged":
                raise IndexNotReady(store_mod.check(settings.data_dir) or "the index is damaged")
            if state != "ok":
                raise IndexNotReady(
                    f"the index in {settings.data_dir} is {state}; run `clearpath index build`"
                )
        base = embedder or settings_embedder(settings)
        # Server threads embedding at the same moment share one model call (index/coalesce.py).
        self.embedder: Embedder = (CoalescingEmbedder(base, settings.embed_batch)
                                   if settings.embed_batch > 1 else base)
        self.index_pointer, self.store = self._load_store()
        self.searcher = Searcher(self.store, self.embedder, settings.retrieval)
        self.guard_model = load_or_train(settings.data_dir, self.embedder)
        self.limits = Limits(
            answer_threshold=settings.answer_threshold,
            sentence_threshold=settings.sentence_threshold,
            max_passages=settings.max_passages,
        )
        # Questions the guard reads as Spanish are answered from the Spanish index when the
        # build made one (api/spanish.py); None: they take the English path.
        es_index = spanish_index.load(settings.data_dir, self.store.manifest.corpus_hash)
        self.spanish = (SpanishAnswers.of(es_index, self.store, self.limits)
                        if es_index is not None else None)

    def _load_store(self) -> tuple[str, store_mod.Store]:
        """(what the index pointer named, the verified store it names). A published build
        (`CLEARPATH_INDEX_FROM`) is read in place; a local one from the data directory."""
        settings = self.settings
        if settings.index_from:
            try:
                folder, manifest, pointer = artifact.published(settings.index_from,
                                                               self.embedder.name)
                return (f"{pointer.artifact}:{pointer.manifest_sha256}",
                        store_mod.load_folder(folder, manifest))
            except artifact.ArtifactRefused as exc:
                raise IndexNotReady(f"refusing the published index: {exc}") from exc
        pointer = index_pointer(settings)
        try:
            store = store_mod.load(settings.data_dir)  # verifies every file's checksum
        except (store_mod.IndexDamaged, store_mod.IndexMissing) as exc:
            raise IndexNotReady(str(exc)) from exc
        # The index vectors must come from the backend that embeds the queries.
        if store.manifest.model_name != self.embedder.name:
            raise IndexNotReady(
                f"the index in {settings.data_dir} was built with another embedding backend "
                f"than {settings.embed_backend!r}; rebuild it with that backend "
                "(`clearpath serve` does)")
        return pointer, store

    def reloaded(self) -> Pipeline:
        """A pipeline on the index the pointer names now, sharing this one's model and guard;
        `IndexNotReady` saying why when that index is refused. This pipeline is unchanged, so
        requests already running on it finish on the old index."""
        pointer, store = self._load_store()
        fresh = copy.copy(self)
        fresh.index_pointer, fresh.store = pointer, store
        fresh.searcher = Searcher(store, self.embedder, self.settings.retrieval)
        return fresh

    def answer(self, question: str, region: str | None = None) -> Result:
        text = clean_question(question, self.settings.max_question_chars)
        region = responses.normalise_region(region or self.settings.region)

        with metrics.stage("embed"):
            vector = self.searcher.embed(text)
        with metrics.stage("guard"):  # a long message may embed its last sentences too
            verdict = guard.check(text, vector, self.guard_model, self.searcher.embed)
        if verdict.kind != "pass":
            return self.refusal(verdict, region)

        if self.spanish is not None and (verdict.lang == "es"
                                         or spanish_index.looks_spanish(text)):
            return self.spanish.answer(text, vector, region=region, personal=verdict.personal)

        with metrics.stage("search"):
            retrieval = self.searcher.search(text, k=5, query_vector=vector, region=region)

        with metrics.stage("compose"):
            result = compose(
                text, retrieval, self.store, self.limits,
                region=region, lang=verdict.lang, personal=verdict.personal,
            )
        if result.kind == "no_answer" and retrieval.hits:
            result._nearest = retrieval.hits[0].passage_id  # for content gaps (api/gaps.py)
        return result

    def warm_up(self) -> None:
        """Answer one English and one Spanish question, so what is built at first use (the
        lookup tables of the store, the guard and the responses, the models' first runs; about
        0.5 s in all) is built before the first person asks. Their stage times are counted in
        /metrics like any answer's; nothing else records them."""
        for question in WARM_UP:
            self.answer(question)

    def store_of(self, doc_id: str) -> store_mod.Store:
        """The store holding a document: the English one, or the Spanish one for its ids."""
        if self.spanish is not None and doc_id in self.spanish.store.documents:
            return self.spanish.store
        return self.store

    def all_documents(self) -> dict[str, DocumentRecord]:
        """Every document served, English and Spanish."""
        spanish = self.spanish.store.documents if self.spanish is not None else {}
        return {**self.store.documents, **spanish}

    def crisis_reply(self, question: object, region: str | None = None) -> Result | None:
        """The crisis reply if the guard sees an emergency, else None: the same decision as
        `answer` (embedding and model included), without retrieval. Used when a rate limit,
        quota or token would otherwise turn a person away (api/gate.py)."""
        try:
            text = clean_question(question, self.settings.max_question_chars)
        except InvalidQuestion:
            return None
        verdict = guard.check(text, self.searcher.embed(text), self.guard_model,
                              self.searcher.embed)
        if verdict.kind != "crisis":
            return None
        return self.refusal(verdict, responses.normalise_region(region or self.settings.region))

    def refusal(self, verdict: guard.Verdict, region: str) -> Result:
        kind = verdict.kind
        assert kind != "pass"
        message = responses.text(kind, verdict.lang, region)
        related: list[Related] = []
        if kind in ("dosing_refusal", "out_of_scope"):
            related = [Related(title=q, question=q)
                       for q in responses.suggestions(verdict.lang)[:3]]
            if kind == "dosing_refusal":
                message = f"{message} {responses.text('dosing_can_explain', verdict.lang)}"
        return Result(
            kind=kind,
            answer=message,
            related=related,
            helplines=responses.for_outcome(kind, region),
            disclaimer=responses.text("disclaimer", verdict.lang),
            region=region,
            corpus_version=self.store.manifest.corpus_hash,
            lang=responses.language(verdict.lang),
        )


def index_pointer(settings: Settings) -> str:
    """What the index pointer names now: the published pointer's build id and manifest hash,
    or the local build folder `current` links to ("" when there is none). Cheap: a reload
    watcher compares it every few seconds."""
    if settings.index_from:
        try:
            pointer = artifact.read_pointer(settings.index_from)
        except artifact.ArtifactRefused:
            return ""
        return f"{pointer.artifact}:{pointer.manifest_sha256}"
    link = store_mod.index_root(settings.data_dir) / "current"
    return str(link.resolve()) if link.exists() else ""


def index_state(settings: Settings, embedder: Embedder | None = None) -> str:
    """'ok', 'missing', 'stale' or 'damaged' for the configured backend's index (reads and
    checksums the files: milliseconds)."""
    name = embedder.name if embedder else backend_model_name(settings.embed_backend)
    return build_mod.status(settings.data_dir, settings.corpus_dir, name)


def _quiet(_message: str) -> None:
    """Progress that goes nowhere (a module-level function, so it pickles)."""


def ensure_index(settings: Settings, embedder: Embedder | None = None,
                 progress: build_mod.Progress = _quiet) -> str:
    """Build the index if it is missing or stale; return what was found ('ok', ...)."""
    state = index_state(settings, embedder)
    if state != "ok":
        progress(f"index is {state}: building it")
        # Loaded only to build (`serve` runs this in a child process, see api/cli.py).
        build_mod.build(embedder or settings_embedder(settings), settings.data_dir,
                        settings.corpus_dir, progress)
    return state


def ready_to_serve(settings: Settings) -> bool:
    """The index is current and, for the ONNX backends, the exported model is on disk, so
    workers start without loading torch."""
    if not settings.index_from and index_state(settings) != "ok":
        return False  # a replica of a published index never builds one
    precision = onnx_precision(settings.embed_backend)
    if precision is None:
        return True
    return export_path(settings.data_dir / "onnx", precision).exists()


def prepare(settings: Settings, progress: build_mod.Progress = _quiet) -> str:
    """What `ready_to_serve` checks: export the model if needed, build the index if needed."""
    precision = onnx_precision(settings.embed_backend)
    if precision is not None and not export_path(settings.data_dir / "onnx", precision).exists():
        progress("exporting the embedding model to ONNX")
        export(settings.data_dir / "onnx", precision)
    if settings.index_from:
        return "published"
    return ensure_index(settings, progress=progress)
