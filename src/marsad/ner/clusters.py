"""Word clusters learned from unlabelled text: words used in similar contexts share a cluster id.

A name the tagger has never seen often shares a cluster with names it has ("شويغو" with
"لافروف"), which is how the CRF generalises beyond its training words. The method is small and
deterministic: left/right neighbour counts over the most frequent words, positive PMI, a
truncated SVD, and k-means at two granularities with a fixed seed.
"""

from __future__ import annotations

from collections import Counter
from typing import Iterable

from marsad.ner.features import analyse


def learn_clusters(
    sentences: Iterable[list[str]],
    *,
    min_count: int = 3,
    context_words: int = 2000,
    dims: int = 80,
    sizes: tuple[int, ...] = (64, 320),
    seed: int = 13,
) -> dict[str, tuple[str, ...]]:
    """Cluster ids (one per size) for every normalised word seen ``min_count`` times."""
    import numpy as np

    corpus = [[analyse(t).norm for t in s] for s in sentences]
    counts = Counter(w for s in corpus for w in s)
    vocab = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    if len(vocab) < 2:  # nothing repeats often enough to have a context: no clusters
        return {}
    context = vocab[:context_words]
    index = {w: i for i, w in enumerate(vocab)}
    cindex = {w: i for i, w in enumerate(context)}
    nc = len(context)
    matrix = np.zeros((len(vocab), 2 * nc), dtype=np.float64)
    for s in corpus:
        for i, w in enumerate(s):
            row = index.get(w)
            if row is None:
                continue
            if i > 0 and (c := cindex.get(s[i - 1])) is not None:
                matrix[row, c] += 1
            if i + 1 < len(s) and (c := cindex.get(s[i + 1])) is not None:
                matrix[row, nc + c] += 1
    total = matrix.sum()
    rows = matrix.sum(axis=1, keepdims=True)
    cols = matrix.sum(axis=0, keepdims=True)
    with np.errstate(divide="ignore", invalid="ignore"):
        pmi = np.log(matrix * total / (rows @ cols))
    ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
    # truncated SVD through the small context-by-context matrix: U·S = PPMI·V
    eigenvalues, eigenvectors = np.linalg.eigh(ppmi.T @ ppmi)
    top = np.argsort(eigenvalues)[::-1][:dims]
    singular = np.sqrt(np.clip(eigenvalues[top], 0, None))
    vectors = (ppmi @ eigenvectors[:, top]) / np.where(singular == 0, 1, np.sqrt(singular))
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    vectors = vectors / np.where(norms == 0, 1, norms)
    assignments = [_kmeans(vectors, k, seed) for k in sizes]
    return {w: tuple(f"{k}.{a[i]}" for k, a in zip(sizes, assignments)) for w, i in index.items()}


def _kmeans(vectors, k: int, seed: int, iterations: int = 25):  # noqa: ANN001, ANN202 - numpy arrays
    import numpy as np

    rng = np.random.default_rng(seed)
    k = max(1, min(k, len(vectors)))
    centres = vectors[rng.choice(len(vectors), size=k, replace=False)]
    labels = np.zeros(len(vectors), dtype=np.int64)
    for _ in range(iterations):
        labels = np.argmax(vectors @ centres.T, axis=1)  # cosine: vectors are unit length
        for j in range(k):
            members = vectors[labels == j]
            if len(members):
                c = members.mean(axis=0)
                centres[j] = c / (np.linalg.norm(c) or 1)
    return labels


def write_clusters(clusters: dict[str, tuple[str, ...]], path) -> None:  # noqa: ANN001 - a Path
    with open(path, "w", encoding="utf-8") as f:
        for word in sorted(clusters):
            f.write(word + "\t" + "\t".join(clusters[word]) + "\n")
