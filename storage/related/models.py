"""Linear models that rank papers for a tag or list.

The Rocchio centroid difference (chosen: better and faster on the seed listings, see
tests/quality) and a class-balanced logistic regression on the TF-IDF rows (L-BFGS, numpy only)
that it was measured against."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from storage.related.results import Cancelled
from storage.related.vectors import Matrix

CancelFn = Callable[[], bool]
MAX_NEGATIVES = 20_000  # negatives sampled for training (seeded); every positive is used
L2 = 1.0  # ridge penalty on the weights (the rows are unit length)
ITERATIONS = 60
MEMORY = 8  # L-BFGS history


@dataclass
class Subset:
    """Some rows of a Matrix as their own sparse block (for training)."""

    data: np.ndarray
    terms: np.ndarray
    row_index: np.ndarray
    size: int
    vocabulary: int

    @classmethod
    def of(cls, matrix: Matrix, rows: np.ndarray) -> Subset:
        row_index, terms, data = matrix.entries(rows)
        return cls(data, terms, row_index, len(rows), matrix.vocabulary)

    def dot(self, w: np.ndarray) -> np.ndarray:
        return np.bincount(self.row_index, weights=self.data * w[self.terms], minlength=self.size)

    def transposed_dot(self, v: np.ndarray) -> np.ndarray:
        return np.bincount(
            self.terms, weights=self.data * v[self.row_index], minlength=self.vocabulary
        )


def training_rows(
    matrix: Matrix, positive: np.ndarray, negative: np.ndarray, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """(rows, labels ±1): every positive row and up to MAX_NEGATIVES negative ones."""
    if len(negative) > MAX_NEGATIVES:
        negative = np.sort(np.random.default_rng(seed).choice(negative, MAX_NEGATIVES, False))
    rows = np.concatenate([positive, negative])
    labels = np.concatenate([np.ones(len(positive)), -np.ones(len(negative))])
    return rows, labels


def logistic_weights(
    matrix: Matrix,
    positive: np.ndarray,
    negative: np.ndarray,
    masked_terms: np.ndarray | None = None,
    cancel: CancelFn | None = None,
) -> np.ndarray:
    """Weights (one per term, then the bias) of an L2 logistic regression, each class
    weighted to half of the loss; masked_terms (e.g. the tag's own term) get no weight."""
    rows, y = training_rows(matrix, positive, negative)
    _check(cancel)
    block = Subset.of(matrix, rows)
    if masked_terms is not None and len(masked_terms):
        block.data = np.where(np.isin(block.terms, masked_terms), 0.0, block.data).astype(
            np.float32
        )
    cost = np.where(y > 0, 0.5 / max(1, len(positive)), 0.5 / max(1, len(rows) - len(positive)))
    vocabulary = matrix.vocabulary
    penalty = L2 / max(1, len(rows))

    def loss_and_gradient(w: np.ndarray) -> tuple[float, np.ndarray]:
        margin = y * (block.dot(w[:vocabulary]) + w[vocabulary])
        loss = float(np.sum(cost * np.logaddexp(0.0, -margin)))
        slope = -y * cost / (1.0 + np.exp(np.clip(margin, -50, 50)))
        gradient = np.empty_like(w)
        gradient[:vocabulary] = block.transposed_dot(slope) + penalty * w[:vocabulary]
        gradient[vocabulary] = slope.sum()
        return loss + 0.5 * penalty * _dot(w[:vocabulary], w[:vocabulary]), gradient

    return _lbfgs(loss_and_gradient, np.zeros(vocabulary + 1), cancel)


def _dot(a: np.ndarray, b: np.ndarray) -> float:
    """a . b without BLAS: on a loaded machine BLAS's threads wait for each other longer
    than these vectors take to multiply (0.35 s instead of 2 ms for a fit on 390 papers)."""
    return float(np.einsum("i,i->", a, b))


def _check(cancel: CancelFn | None) -> None:
    if cancel is not None and cancel():
        raise Cancelled()


def _lbfgs(
    objective: Callable[[np.ndarray], tuple[float, np.ndarray]],
    w: np.ndarray,
    cancel: CancelFn | None,
) -> np.ndarray:
    """Minimise a smooth convex f with L-BFGS and a backtracking (Armijo) line search; cancel
    is asked before every evaluation (a few tens of ms at 100k papers)."""

    def f(w: np.ndarray) -> tuple[float, np.ndarray]:
        _check(cancel)
        return objective(w)

    loss, gradient = f(w)
    steps: list[tuple[np.ndarray, np.ndarray, float]] = []
    for _ in range(ITERATIONS):
        direction = -gradient
        alphas = []
        for s, t, rho in reversed(steps):
            alpha = rho * _dot(s, direction)
            direction = direction - alpha * t
            alphas.append(alpha)
        if steps:
            s, t, _rho = steps[-1]
            direction = direction * (_dot(s, t) / _dot(t, t))
        for (s, t, rho), alpha in zip(steps, reversed(alphas), strict=True):
            beta = rho * _dot(t, direction)
            direction = direction + (alpha - beta) * s
        slope = _dot(gradient, direction)
        if slope >= 0:  # not a descent direction: start the history again
            steps.clear()
            direction, slope = -gradient, -_dot(gradient, gradient)
        step = 1.0 if steps else 1.0 / max(1e-12, float(np.sqrt(_dot(gradient, gradient))))
        for _try in range(30):
            candidate = w + step * direction
            new_loss, new_gradient = f(candidate)
            if new_loss <= loss + 1e-4 * step * slope:
                break
            step *= 0.5
        else:
            break
        s, t = candidate - w, new_gradient - gradient
        if _dot(s, t) > 1e-12:
            steps.append((s, t, 1.0 / _dot(s, t)))
            del steps[:-MEMORY]
        converged = abs(loss - new_loss) <= 1e-7 * max(1.0, abs(loss))
        w, loss, gradient = candidate, new_loss, new_gradient
        if converged:
            break
    return w


def centroid_weights(matrix: Matrix, positive: np.ndarray, beta: float = 1.0) -> np.ndarray:
    """Rocchio: the positives' mean minus beta times the mean of every other row (then a
    bias of 0). Costs the positives' entries only: the others' sum is all rows' less theirs."""
    n_positive, n_other = len(positive), matrix.live_count - len(positive)
    if not n_positive:
        return np.zeros(matrix.vocabulary + 1)
    _owner, terms, values = matrix.entries(positive)
    positive_sum = np.bincount(terms, weights=values, minlength=matrix.vocabulary)
    weights = positive_sum / n_positive
    if n_other:
        weights = weights - beta * (matrix.sums() - positive_sum) / n_other
    return np.append(weights, 0.0)


def explain(
    matrix: Matrix, row: int, weights: np.ndarray, shown: Callable[[int], str], k: int = 4
) -> tuple[str, ...]:
    """The k terms of a row that add most to its score, as words (or word pairs)."""
    terms, values = matrix.row(row)
    contribution = values * weights[terms]
    order = np.argsort(-contribution, kind="stable")[:k]
    return tuple(shown(int(terms[i])) for i in order if contribution[i] > 0)
