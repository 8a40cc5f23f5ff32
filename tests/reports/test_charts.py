"""Charts: SVG with the shared palette, deterministic, user labels shown literally."""

from __future__ import annotations

from formatting.palette import COUNTRY_COLOUR, PEER_COLOUR, TIER_COLOURS
from reports.charts import PillarPoint, TierBand, bars_svg, plain, radar_svg

TIERS = [TierBand("Building", 0, "building"), TierBand("Evolving", 25, "evolving"),
         TierBand("Establishing", 45, "establishing"), TierBand("Advancing", 65, "advancing"),
         TierBand("Role-modelling", 85, "role_modelling")]
POINTS = [
    PillarPoint("Policy", 70.0, "advancing", "Advancing", target=65.0, peer=50.0),
    PillarPoint("IPv6", 30.0, "evolving", "Evolving", target=45.0, peer=40.0),
    PillarPoint("Skills", 10.0, "building", "Building"),
]
LABELS = {"country_label": "Kenya", "target_label": "Target", "peer_label": "Africa median", "tiers": TIERS}


def test_bars_use_the_tier_colours_of_the_app() -> None:
    svg = bars_svg(POINTS, **LABELS).decode().lower()  # type: ignore[arg-type]
    for tier in ("advancing", "evolving", "building"):
        assert TIER_COLOURS[tier].lower() in svg
    assert PEER_COLOUR.lower() in svg


def test_radar_draws_country_and_peer_series_in_the_palette_colours() -> None:
    svg = radar_svg(POINTS, **LABELS).decode().lower()  # type: ignore[arg-type]
    assert COUNTRY_COLOUR.lower() in svg
    assert PEER_COLOUR.lower() in svg


def test_without_peers_no_peer_colour_is_drawn() -> None:
    points = [PillarPoint(p.label, p.score, p.tier_id, p.tier_label, target=p.target) for p in POINTS]
    svg = bars_svg(points, country_label="Kenya", target_label="Target", tiers=TIERS).decode().lower()
    assert PEER_COLOUR.lower() not in svg


def test_the_same_data_gives_the_same_svg() -> None:
    assert radar_svg(POINTS, **LABELS) == radar_svg(POINTS, **LABELS)  # type: ignore[arg-type]
    assert bars_svg(POINTS, **LABELS) == bars_svg(POINTS, **LABELS)  # type: ignore[arg-type]


def test_svg_has_no_clip_paths_or_metadata_fpdf2_mishandles() -> None:
    svg = radar_svg(POINTS, **LABELS)  # type: ignore[arg-type]
    assert b"clip-path" not in svg and b"<metadata>" not in svg


def test_labels_are_shown_literally() -> None:
    assert plain("$x^2$") == r"\$x^2\$"
    assert plain("_hidden") == " _hidden"
    radar_svg([PillarPoint("$\\frac{a}{b}$", 10.0, "building", "B")] * 3, country_label="_x",
              target_label="{}", peer_label="%s")


def test_tier_band_labels_never_split_a_word() -> None:
    """The French tier "En établissement" was printed "En établisse / ment" over the bars."""
    from reports.charts import _wrap

    assert _wrap("En établissement", 12, whole_words=True) == "En\nétablissement"
    assert _wrap("Modèle", 12, whole_words=True) == "Modèle"


def test_charts_drawn_at_the_same_moment_come_out_as_drawn_alone() -> None:
    """One thread per session draws charts: a Chinese chart (its fallback font, text as paths) and an English one
    (text as text) drawn at once swapped fonts and text modes (matplotlib's style is global), until each chart
    was drawn alone under a lock."""
    import threading

    zh = [PillarPoint("政策与监管", 70.0, "advancing", "进阶", target=65.0), *POINTS[1:]]
    jobs = {
        "zh": lambda: bars_svg(zh, country_label="中国", target_label="目标", tiers=TIERS, lang="zh"),
        "en": lambda: bars_svg(POINTS, country_label="Kenya", target_label="Target", tiers=TIERS, text_as="none"),
        "fr": lambda: radar_svg(POINTS, country_label="Kenya", target_label="Cible", tiers=TIERS, lang="fr"),
    }
    alone = {name: draw() for name, draw in jobs.items()}
    start = threading.Barrier(2 * len(jobs))
    different: list[str] = []

    def draw_often(name: str) -> None:
        start.wait()
        different.extend(name for _ in range(4) if jobs[name]() != alone[name])

    threads = [threading.Thread(target=draw_often, args=(name,)) for name in jobs for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert different == []


def test_charts_are_drawn_without_pyplot() -> None:
    """pyplot keeps every figure in one global registry (not for a server) and is a sixth of a second to import."""
    import subprocess
    import sys
    from pathlib import Path

    script = ("import sys\nfrom reports.charts import PillarPoint, bars_svg, radar_svg\n"
              "p = [PillarPoint('A', 50.0, 'evolving', 'E')] * 3\n"
              "bars_svg(p, country_label='K', target_label='T'); radar_svg(p, country_label='K', target_label='T')\n"
              "from ui.static_charts import _coverage_svg\n"
              "_coverage_svg(('A', 'B'), (0.5, 1.0), (None, 0.5), 'C', 'E', 'en')\n"
              "print('matplotlib.pyplot' in sys.modules)\n")
    root = Path(__file__).resolve().parents[2]
    done = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
