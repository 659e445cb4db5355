"""Generated models that take about a second to load but still generate quickly.

The demo models load in ~35 ms, which hides what a scheduler costs: a swap is nearly free. These
have the demo models' vocabulary and chat template (from scripts/make-demo-models.py) but a long
trained context and more layers, so llama-server allocates and clears a large KV cache at load
(the cost grows with CONTEXT_LENGTH) while a short generation touches only the cells it uses.
The weights stay small, so a token costs little more than on the demo models.
"""
import importlib.util
from pathlib import Path

import numpy as np
from gguf import GGMLQuantizationType, GGUFWriter

REPO = Path(__file__).resolve().parents[2]


def _demo_generator():
    spec = importlib.util.spec_from_file_location("make_demo_models", REPO / "scripts/make-demo-models.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


DEMO = _demo_generator()


def write_slow_model(path: Path, name: str, seed: int, context_length: int, layers: int,
                     width: int = 64, heads: int = 4, feed_forward: int = 128) -> None:
    rng = np.random.default_rng(seed)
    tokens, scores, types = DEMO.vocabulary()

    def weights(*shape):
        return (rng.standard_normal(shape) * 0.5).astype(np.float32)

    writer = GGUFWriter(str(path), "llama")
    writer.add_name(name)
    writer.add_context_length(context_length)
    writer.add_embedding_length(width)
    writer.add_block_count(layers)
    writer.add_feed_forward_length(feed_forward)
    writer.add_head_count(heads)
    writer.add_head_count_kv(heads)
    writer.add_rope_dimension_count(width // heads)
    writer.add_layer_norm_rms_eps(1e-5)
    writer.add_file_type(0)
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
    writer.add_chat_template(DEMO.CHAT_TEMPLATE)

    f32 = GGMLQuantizationType.F32
    writer.add_tensor("token_embd.weight", weights(len(tokens), width), raw_dtype=f32)
    for layer in range(layers):
        prefix = f"blk.{layer}"
        writer.add_tensor(f"{prefix}.attn_norm.weight", np.ones(width, np.float32))
        for projection in ("attn_q", "attn_k", "attn_v", "attn_output"):
            writer.add_tensor(f"{prefix}.{projection}.weight", weights(width, width))
        writer.add_tensor(f"{prefix}.ffn_norm.weight", np.ones(width, np.float32))
        writer.add_tensor(f"{prefix}.ffn_gate.weight", weights(feed_forward, width))
        writer.add_tensor(f"{prefix}.ffn_up.weight", weights(feed_forward, width))
        writer.add_tensor(f"{prefix}.ffn_down.weight", weights(width, feed_forward))
    writer.add_tensor("output_norm.weight", np.ones(width, np.float32))
    output = weights(len(tokens), width)
    output[:3] = 0.0  # as the demo models: never an early end of generation
    writer.add_tensor("output.weight", output)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()


def make_slow_models(folder: Path, names: list[str], context_length: int, layers: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed, name in enumerate(names, start=11):
        path = folder / f"{name}.gguf"
        write_slow_model(path, name, seed, context_length, layers)
        paths.append(path)
    return paths
