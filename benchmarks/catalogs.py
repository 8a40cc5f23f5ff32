"""Reading a language's UI catalog at process start: the PO file (through its cached dict) against the floor of
parsing the same strings as YAML, which is how the catalogs were read before the PO files (issue 24).

Each round reads from scratch (no in-process cache), interleaved with the floor, median of the rounds. Target:
the cached read at most 1.0x the YAML floor; a cold compile (PO parsed by Babel) is shown for information.
Run: ``python benchmarks/catalogs.py [rounds]``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "benchmarks"]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import os  # noqa: E402

import yaml  # noqa: E402

from benchmarks.timing import best_of, interleaved  # noqa: E402
from questionnaires import catalogs  # noqa: E402
from questionnaires.messages import catalog  # noqa: E402
from questionnaires.yaml_io import safe_load  # noqa: E402

TARGET_RATIO = 1.0


def main(rounds: int = 30) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        as_yaml = Path(tmp) / "fr.yaml"
        as_yaml.write_text(yaml.safe_dump(catalog("fr"), allow_unicode=True), encoding="utf-8")
        os.environ["IOTREADY_CACHE_DIR"] = str(Path(tmp) / "cache")

        def cold_compile() -> None:
            for cached_file in (Path(tmp) / "cache").rglob("*.json"):
                cached_file.unlink()
            catalogs.compiled("fr")

        cold = best_of(cold_compile)
        cached, floor = interleaved(lambda: catalogs.compiled("fr"), lambda: safe_load(as_yaml.read_text("utf-8")),
                                    rounds)
    ratio = cached / floor
    print(f"French UI catalog ({len(catalog('fr'))} strings), {rounds} rounds, median:")
    print(f"  floor: the same strings parsed as YAML   {1000 * floor:7.1f} ms   1.0x")
    print(f"  fr.po through its cached dict            {1000 * cached:7.1f} ms  {ratio:4.2f}x floor"
          f" (target <= {TARGET_RATIO})")
    print(f"  fr.po compiled cold (Babel's PO parser)   {1000 * cold:7.1f} ms  once per change of the file")
    return {"catalog_cached_ratio": ratio}


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 30)
