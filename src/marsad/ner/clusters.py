"""Word clusters learned from unlabelled text: words used in similar contexts share a cluster id.

A name the tagger has never seen often shares a cluster with names it has ("شويغو" with
"لافروف"), which is how the CRF generalises beyond its training words. The method is small and
deterministic: left/right neighbour counts over the most frequent words, positive PMI, a
truncated SVD, and k-means at two granularities with a fixed seed.

Determinism across machines' thread settings: OpenBLAS splits a matrix product or an
eigendecomposition differently for 1 and for 2 threads, which changes the last bits of the
embedding and can move a word to another cluster (and so change the model's bytes). The linear
algebra therefore runs with BLAS limited to one thread (``threadpoolctl``), every eigenvector gets
a fixed sign, and the embedding is rounded to a 2^-20 grid, on which k-means' dot products are
exact in float64 whatever order BLAS sums them in.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING

from marsad.ner.features import analyse

if TYPE_CHECKING:
    import numpy as np

# unit vectors rounded to multiples of 2^-20: a dot product of two such 80-dimensional vectors
# needs at most 47 significant bits, so float64 computes it exactly in any summation order
_GRID = float(1 << 20)


def embed(
    sentences: Iterable[list[str]],
    *,
    min_count: int = 3,
    context_words: int = 2000,
    dims: int = 80,
) -> tuple[list[str], np.ndarray]:
    """(vocabulary, unit-length embedding rows on the 2^-20 grid), the same bits for any BLAS thread count."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    corpus = [[analyse(t).norm for t in s] for s in sentences]
    counts = Counter(w for s in corpus for w in s)
    vocab = sorted((w for w, c in counts.items() if c >= min_count), key=lambda w: (-counts[w], w))
    if len(vocab) < 2:  # nothing repeats often enough to have a context
        return vocab, np.zeros((len(vocab), 0))
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
    with threadpool_limits(limits=1):  # one summation order: bits independent of OMP/OPENBLAS_NUM_THREADS
        total = matrix.sum()
        rows = matrix.sum(axis=1, keepdims=True)
        cols = matrix.sum(axis=0, keepdims=True)
        with np.errstate(divide="ignore", invalid="ignore"):
            pmi = np.log(matrix * total / (rows @ cols))
        ppmi = np.where(np.isfinite(pmi) & (pmi > 0), pmi, 0.0)
        # truncated SVD through the small context-by-context matrix: U·S = PPMI·V
        eigenvalues, eigenvectors = np.linalg.eigh(ppmi.T @ ppmi)
        top = np.argsort(eigenvalues, kind="stable")[::-1][:dims]
        basis = eigenvectors[:, top]
        # an eigenvector's sign is arbitrary: make each one's largest-magnitude entry positive
        pivots = np.argmax(np.abs(basis), axis=0)
        basis = basis * np.where(basis[pivots, np.arange(basis.shape[1])] < 0, -1.0, 1.0)
        singular = np.sqrt(np.clip(eigenvalues[top], 0, None))
        vectors = (ppmi @ basis) / np.where(singular == 0, 1, np.sqrt(singular))
    norms = np.sqrt(np.einsum("ij,ij->i", vectors, vectors))
    vectors = vectors / np.where(norms == 0, 1, norms)[:, None]
    return vocab, np.round(vectors * _GRID) / _GRID


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
    vocab, vectors = embed(sentences, min_count=min_count, context_words=context_words, dims=dims)
    if len(vocab) < 2:  # no clusters
        return {}
    assignments = [_kmeans(vectors, k, seed) for k in sizes]
    return {w: tuple(f"{k}.{a[i]}" for k, a in zip(sizes, assignments)) for i, w in enumerate(vocab)}


def _kmeans(vectors: np.ndarray, k: int, seed: int, iterations: int = 25) -> np.ndarray:
    """Spherical k-means; centres stay on the 2^-20 grid so every similarity is computed exactly."""
    import numpy as np
    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(seed)
    k = max(1, min(k, len(vectors)))
    centres = vectors[rng.choice(len(vectors), size=k, replace=False)]
    labels = np.zeros(len(vectors), dtype=np.int64)
    with threadpool_limits(limits=1):
        for _ in range(iterations):
            labels = np.argmax(vectors @ centres.T, axis=1)  # cosine: vectors are unit length
            for j in range(k):
                members = vectors[labels == j]
                if len(members):
                    c = members.mean(axis=0)
                    centres[j] = np.round(c / (np.sqrt(np.dot(c, c)) or 1) * _GRID) / _GRID
    return labels


def write_clusters(clusters: dict[str, tuple[str, ...]], path) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.writelines(word + "\t" + "\t".join(clusters[word]) + "\n" for word in sorted(clusters))
