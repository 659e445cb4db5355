#!/usr/bin/env python3
"""Writes tiny random-weight llama GGUF models for demos and end-to-end tests.

They produce gibberish, but they load in ~35 ms and generate thousands of tokens per second,
which is what a proxy's tests need: real llama-server processes without downloading weights.
Usage: make-demo-models.py OUTDIR   (existing files are left alone)
"""
import sys
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType, GGUFWriter, TokenType

# Different seeds give different weights, so two models answer the same prompt differently.
MODELS = {"tiny-a": 1, "tiny-b": 2, "tiny-c": 3}

EMBEDDING_WIDTH = 64
LAYERS = 2
HEADS = 4
FEED_FORWARD_WIDTH = 128
CONTEXT_LENGTH = 16384

# ChatML is understood by llama-server's Jinja engine and by its built-in template detection.
CHAT_TEMPLATE = (
    "{% for message in messages %}"
    "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{% endfor %}"
    "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}"
)

# A few ordinary pieces on top of the byte fallback, so tokenizing English is not all bytes.
PIECES = ["\u2581", "\u2581the", "\u2581a", "e", "t", "a", "o", "in", "er", "he"]


def vocabulary():
    """SentencePiece-style vocabulary: <unk> <s> </s>, the 256 byte tokens, then PIECES."""
    tokens = ["<unk>", "<s>", "</s>"]
    types = [TokenType.UNKNOWN, TokenType.CONTROL, TokenType.CONTROL]
    tokens += [f"<0x{byte:02X}>" for byte in range(256)]
    types += [TokenType.BYTE] * 256
    tokens += PIECES
    types += [TokenType.NORMAL] * len(PIECES)
    # Longer pieces score higher so the SPM merge prefers them.
    scores = [0.0] * (3 + 256) + [-float(10 - len(piece)) for piece in PIECES]
    return tokens, scores, types


def write_model(path: Path, name: str, seed: int) -> None:
    rng = np.random.default_rng(seed)
    tokens, scores, types = vocabulary()

    def weights(*shape):
        return (rng.standard_normal(shape) * 0.5).astype(np.float32)

    writer = GGUFWriter(str(path), "llama")
    writer.add_name(name)
    writer.add_context_length(CONTEXT_LENGTH)
    writer.add_embedding_length(EMBEDDING_WIDTH)
    writer.add_block_count(LAYERS)
    writer.add_feed_forward_length(FEED_FORWARD_WIDTH)
    writer.add_head_count(HEADS)
    writer.add_head_count_kv(HEADS)
    writer.add_rope_dimension_count(EMBEDDING_WIDTH // HEADS)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(0)  # all F32
    writer.add_vocab_size(len(tokens))

    writer.add_tokenizer_model("llama")
    writer.add_token_list(tokens)
    writer.add_token_scores(scores)
    writer.add_token_types(types)
    writer.add_unk_token_id(0)
    writer.add_bos_token_id(1)
    writer.add_eos_token_id(2)
    writer.add_add_bos_token(True)
    writer.add_add_eos_token(False)
    writer.add_chat_template(CHAT_TEMPLATE)

    # numpy shapes are GGML's dimensions reversed: (rows = outputs, columns = inputs).
    f32 = GGMLQuantizationType.F32
    writer.add_tensor("token_embd.weight", weights(len(tokens), EMBEDDING_WIDTH), raw_dtype=f32)
    for layer in range(LAYERS):
        prefix = f"blk.{layer}"
        writer.add_tensor(f"{prefix}.attn_norm.weight", np.ones(EMBEDDING_WIDTH, np.float32))
        for projection in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"{prefix}.{projection}.weight", weights(EMBEDDING_WIDTH, EMBEDDING_WIDTH))
        writer.add_tensor(f"{prefix}.ffn_norm.weight", np.ones(EMBEDDING_WIDTH, np.float32))
        writer.add_tensor(f"{prefix}.ffn_gate.weight", weights(FEED_FORWARD_WIDTH, EMBEDDING_WIDTH))
        writer.add_tensor(f"{prefix}.ffn_up.weight", weights(FEED_FORWARD_WIDTH, EMBEDDING_WIDTH))
        writer.add_tensor(f"{prefix}.ffn_down.weight", weights(EMBEDDING_WIDTH, FEED_FORWARD_WIDTH))
    writer.add_tensor("output_norm.weight", np.ones(EMBEDDING_WIDTH, np.float32))
    # Zero output rows give <unk> <s> </s> a middling logit, outside top-k: the models never stop
    # early on their own, so a request for N tokens gets N (tests and benchmarks rely on it).
    output = weights(len(tokens), EMBEDDING_WIDTH)
    output[:3] = 0.0
    writer.add_tensor("output.weight", output)

    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def main() -> int:
    if len(sys.argv) != 2:
        print(f"usage: {sys.argv[0]} OUTDIR", file=sys.stderr)
        return 2
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=True)
    for name, seed in MODELS.items():
        final = out / f"{name}.gguf"
        if final.exists():
            continue
        # A temporary name first, so an interrupted run never leaves half a model behind.
        partial = out / f".{name}.gguf.partial"
        write_model(partial, name, seed)
        partial.rename(final)
        print(f"wrote {final} ({final.stat().st_size // 1024} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
