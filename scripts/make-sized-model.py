#!/usr/bin/env python3
"""Writes one random-weight llama GGUF model of a chosen shape, for memory tests and benchmarks.

The demo models (make-demo-models.py) are tiny on purpose; this makes bigger ones whose weights,
KV cache and compute buffers are large enough to measure. Same tokenizer and chat template as
the demo models, so llama-server loads and serves them the same way.

Usage: make-sized-model.py OUT.gguf [--layers N] [--width N] [--heads N] [--kv-heads N]
           [--feed-forward N] [--context N] [--vocab N] [--type f32|f16|q8_0] [--seed N]
           [--split-max-tensors N]
--vocab is the total token count (the demo vocabulary, padded with made-up pieces).
--split-max-tensors N writes a split model, OUT-00001-of-0000K.gguf ..., N tensors per part.
An existing OUT (or first part) is left alone.
"""
import argparse
import importlib.util
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType, GGUFWriter, TokenType
from gguf.quants import quantize

_demo_spec = importlib.util.spec_from_file_location("make_demo_models", Path(__file__).with_name("make-demo-models.py"))
demo = importlib.util.module_from_spec(_demo_spec)
_demo_spec.loader.exec_module(demo)

TYPES = {"f32": GGMLQuantizationType.F32, "f16": GGMLQuantizationType.F16, "q8_0": GGMLQuantizationType.Q8_0}
FILE_TYPES = {"f32": 0, "f16": 1, "q8_0": 7}  # llama_ftype: ALL_F32, MOSTLY_F16, MOSTLY_Q8_0


def vocabulary(size: int):
    tokens, scores, types = demo.vocabulary()
    if size < len(tokens):
        raise SystemExit(f"--vocab must be at least {len(tokens)}")
    extra = size - len(tokens)
    tokens = tokens + [f"\u2581w{index}" for index in range(extra)]
    scores = scores + [-20.0] * extra
    types = types + [TokenType.NORMAL] * extra
    return tokens, scores, types


def write_model(path: Path, options) -> list[Path]:
    rng = np.random.default_rng(options.seed)
    tokens, scores, token_types = vocabulary(options.vocab)
    width, heads, kv_heads = options.width, options.heads, options.kv_heads or options.heads
    head_length = width // heads
    weight_type = TYPES[options.type]

    def tensor(*shape):
        return (rng.standard_normal(shape) * 0.5).astype(np.float32)

    def add(name, data):
        # Norms stay F32 as llama.cpp's converters keep them; matrices take the chosen type.
        if data.ndim == 1 or weight_type == GGMLQuantizationType.F32:
            writer.add_tensor(name, data)
        elif weight_type == GGMLQuantizationType.F16:
            writer.add_tensor(name, data.astype(np.float16))
        else:
            writer.add_tensor(name, quantize(data, weight_type), raw_dtype=weight_type)

    writer = GGUFWriter(str(path), "llama", split_max_tensors=options.split_max_tensors)
    writer.add_name(path.stem)
    writer.add_context_length(options.context)
    writer.add_embedding_length(width)
    writer.add_block_count(options.layers)
    writer.add_feed_forward_length(options.feed_forward)
    writer.add_head_count(heads)
    writer.add_head_count_kv(kv_heads)
    writer.add_rope_dimension_count(head_length)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(FILE_TYPES[options.type])
    writer.add_vocab_size(len(tokens))
    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(token_types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    writer.add_chat_template(demo.CHAT_TEMPLATE)

    add("token_embd.weight", tensor(len(tokens), width))
    for layer in range(options.layers):
        prefix = f"blk.{layer}"
        add(f"{prefix}.attn_norm.weight", np.ones(width, np.float32))
        add(f"{prefix}.attn_q.weight", tensor(width, width))
        add(f"{prefix}.attn_k.weight", tensor(kv_heads * head_length, width))
        add(f"{prefix}.attn_v.weight", tensor(kv_heads * head_length, width))
        add(f"{prefix}.attn_output.weight", tensor(width, width))
        add(f"{prefix}.ffn_norm.weight", np.ones(width, np.float32))
        add(f"{prefix}.ffn_gate.weight", tensor(options.feed_forward, width))
        add(f"{prefix}.ffn_up.weight", tensor(options.feed_forward, width))
        add(f"{prefix}.ffn_down.weight", tensor(width, options.feed_forward))
    add("output_norm.weight", np.ones(width, np.float32))
    output = tensor(len(tokens), width)
    output[:3] = 0.0  # as in the demo models: never stop early on their own
    add("output.weight", output)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return writer.format_shard_names(path)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--layers", type=int, default=4)
    parser.add_argument("--width", type=int, default=256)
    parser.add_argument("--heads", type=int, default=4)
    parser.add_argument("--kv-heads", type=int, default=0, help="default: --heads")
    parser.add_argument("--feed-forward", type=int, default=512)
    parser.add_argument("--context", type=int, default=4096)
    parser.add_argument("--vocab", type=int, default=1024)
    parser.add_argument("--type", choices=sorted(TYPES), default="f16")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--split-max-tensors", type=int, default=0)
    options = parser.parse_args()
    if options.width % options.heads or (options.kv_heads and options.heads % options.kv_heads):
        parser.error("--width must be a multiple of --heads, and --heads of --kv-heads")
    if options.type == "q8_0" and (options.width % 32 or options.feed_forward % 32):
        parser.error("q8_0 needs --width and --feed-forward to be multiples of 32")

    out = options.out
    first = out if not options.split_max_tensors else out.with_name(f"{out.stem}-00001-of-")
    if out.exists() or any(out.parent.glob(first.name + "*.gguf")):
        return 0
    out.parent.mkdir(parents=True, exist_ok=True)
    # Written in a scratch folder next to OUT and moved into place, so an interrupted run never
    # leaves part of a model behind.
    with tempfile.TemporaryDirectory(dir=out.parent, prefix=".sized-model-") as scratch:
        written = write_model(Path(scratch) / out.name, options)
        for path in written:
            shutil.move(str(path), out.parent / path.name)
            print(f"wrote {out.parent / path.name} ({(out.parent / path.name).stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
