"""Generated models that take about a second to load but still generate quickly.

The demo models load in ~35 ms, which hides what a scheduler costs: a swap is nearly free. These
come from scripts/make-sized-model.py with the demo models' shape (width 64, F32) but a long
trained context and more layers, so llama-server allocates and clears a large KV cache at load
(the cost grows with the context times the layers) while a short generation touches only the
cells it uses. The weights stay small, so a token costs little more than on the demo models.
"""
import subprocess
import sys
from pathlib import Path

GENERATOR = Path(__file__).resolve().parents[1] / "make-sized-model.py"
DEMO_VOCABULARY = 269  # the demo models' own: <unk> <s> </s>, 256 bytes, 10 pieces


def make_slow_models(folder: Path, names: list[str], context_length: int, layers: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for seed, name in enumerate(names, start=11):
        path = folder / f"{name}.gguf"
        subprocess.run([sys.executable, str(GENERATOR), str(path), "--layers", str(layers), "--width", "64",
                        "--heads", "4", "--feed-forward", "128", "--context", str(context_length),
                        "--vocab", str(DEMO_VOCABULARY), "--type", "f32", "--seed", str(seed)],
                       check=True, stdout=subprocess.DEVNULL)
        paths.append(path)
    return paths
