"""The sparse LP builder's assembled matrix, in both compressed formats."""

from __future__ import annotations

import numpy as np
import pytest

from aip.optimize.batch import same_matrix
from aip.optimize.problem import LinearProblem, matrix_fingerprint


def _lp_with_duplicates() -> LinearProblem:
    """Two terms on the same column of a row (summed), entries added out of order."""
    lp = LinearProblem()
    x = lp.add_variables("x", 3)
    lp.add_constraints("c", [(1.0, x[::-1]), (2.0, x), (0.5, x[::-1])], upper=1.0)
    lp.add_sum_constraint("total", [(1.0, x), (1.0, x[:1])], lower=0.0)
    return lp


def test_csr_and_csc_hold_the_same_summed_sorted_entries() -> None:
    lp = _lp_with_duplicates()
    csr, csc = lp.matrix("csr"), lp.matrix()
    assert csr.format == "csr" and csc.format == "csc"
    assert csr.has_sorted_indices and csc.has_sorted_indices
    expected = [[2.0, 0.0, 1.5], [0.0, 3.5, 0.0], [1.5, 0.0, 2.0], [2.0, 1.0, 1.0]]
    assert csr.toarray().tolist() == expected == csc.toarray().tolist()
    assert same_matrix(csr, _lp_with_duplicates().matrix("csr"))
    assert matrix_fingerprint(csr) == matrix_fingerprint(_lp_with_duplicates().matrix("csr"))
    assert matrix_fingerprint(csr) != matrix_fingerprint(csc)  # formats never mix


def test_a_changed_coefficient_changes_the_matrix_and_its_fingerprint() -> None:
    a = _lp_with_duplicates().matrix("csr")
    b = a.copy()
    b.data = b.data.copy()
    b.data[-1] = np.nextafter(b.data[-1], 2.0)
    assert not same_matrix(a, b) and matrix_fingerprint(a) != matrix_fingerprint(b)


def test_an_unknown_format_is_refused() -> None:
    with pytest.raises(ValueError, match=r"'coo'.*'csc' or 'csr'"):
        _lp_with_duplicates().matrix("coo")  # type: ignore[call-overload]
