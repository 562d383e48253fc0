"""Clusters that cannot be one person: automatic links that join records which contradict
each other somewhere in the cluster, though no single link does.

Two namesakes whose surnames read alike in Hangul or Latin (柳成石 and 劉成石, both
"유성석" and "Yu Seongseok") born a day apart are each linked, with confidence, to the
records written only in Hangul; the chain then makes one person of the two. Each link
is plausible alone; the cluster is not: it holds two Hanzi surnames, two valid resident
IDs or two sexes. Such a cluster goes to review whole, where a reviewer sees every
record side by side, instead of being applied.
"""

from __future__ import annotations

import numpy as np
from scipy.sparse import coo_matrix
from scipy.sparse.csgraph import connected_components

from identity.engine.columns import RecordColumns


def automatic_components(
    left: np.ndarray, right: np.ndarray, auto: np.ndarray, count: int
) -> np.ndarray:
    """Each record's component under the automatic links (records in no link alone)."""
    graph = coo_matrix((np.ones(int(auto.sum())), (left[auto], right[auto])), shape=(count, count))
    _, component = connected_components(graph, directed=False)
    return component


def _components_with_two_values(
    component: np.ndarray, records: np.ndarray, values: np.ndarray
) -> np.ndarray:
    """Components among whose records values (missing: negative) take two or more."""
    known = values >= 0
    distinct = np.unique(np.stack([component[records[known]], values[known]]), axis=1)
    labels, counts = np.unique(distinct[0], return_counts=True)
    return labels[counts > 1]


def pairs_in_contradicting_clusters(
    columns: RecordColumns, left: np.ndarray, right: np.ndarray, auto: np.ndarray
) -> np.ndarray:
    """The pairs (any band) whose two records the automatic links put in one cluster that
    holds two Hanzi surnames, two valid resident IDs or two sexes."""
    if not auto.any():
        return np.zeros(len(left), dtype=bool)
    count = len(columns.table)
    component = automatic_components(left, right, auto, count)
    records = np.unique(np.concatenate([left[auto], right[auto]]))
    valid_documents = np.where(columns.document_valid[records], columns.document[records], -1)
    sexes = np.where(columns.sex[records] > 0, columns.sex[records], -1)
    contradicting = np.unique(
        np.concatenate(
            [
                _components_with_two_values(component, records, columns.family_hanzi[records]),
                _components_with_two_values(component, records, valid_documents),
                _components_with_two_values(component, records, sexes),
            ]
        )
    )
    same_cluster = component[left] == component[right]
    return same_cluster & np.isin(component[left], contradicting)
