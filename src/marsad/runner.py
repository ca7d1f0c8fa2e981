"""Run the pipeline over a stream of read results, writing to a store in transactional batches.

One bad document never loses the others: read errors and component failures are collected
and the run goes on. Writes commit in batches; an interrupted run rolls back only the batch in
flight, and a re-run skips every document already stored by the same pipeline, so it
completes the work without duplicates. The CLI, and later the web app and the distributed
runner, all call :func:`run`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Iterable

from marsad.document import Document
from marsad.errors import MarsadError
from marsad.io.readers import ReadResult
from marsad.pipeline import Pipeline, default_pipeline
from marsad.settings import settings
from marsad.store.base import Store


@dataclass
class RunReport:
    documents: int = 0  # documents read
    processed: int = 0  # documents the pipeline ran on
    stored: int = 0  # documents written to the store (committed)
    unchanged: int = 0  # already in the store from the same pipeline
    failed: int = 0
    errors: list[MarsadError] = field(default_factory=list)
    interrupted: bool = False
    seconds: float = 0.0
    pipeline_seconds: float = 0.0  # summed over workers (distributed runs)
    write_seconds: float = 0.0  # summed over workers (distributed runs)

    @property
    def ok(self) -> bool:
        return not self.failed and not self.interrupted


def run(
    results: Iterable[ReadResult],
    *,
    pipeline: Pipeline | None = None,
    store: Store | None = None,
    force: bool = False,
    on_document: Callable[[Document], None] | None = None,
    on_error: Callable[[MarsadError], None] | None = None,
    on_warning: Callable[[str], None] | None = None,
    on_progress: Callable[[RunReport], None] | None = None,
    batch_size: int | None = None,
    batch_seconds: float = 2.0,
) -> RunReport:
    """Process every readable document; return counts and the errors met.

    ``on_document`` receives each processed document in input order (for output); with a
    ``store``, documents are saved unless already current (``force`` re-extracts them).
    KeyboardInterrupt ends the run cleanly with ``interrupted`` set.
    """
    pipeline = pipeline or default_pipeline()
    signature = pipeline.signature
    batch_size = batch_size or settings().batch_size
    report = RunReport()
    started = time.perf_counter()
    pending = 0
    batch_started = time.monotonic()

    def fail(err: MarsadError) -> None:
        report.failed += 1
        report.errors.append(err)
        if on_error:
            on_error(err)

    def commit() -> None:
        nonlocal pending, batch_started
        if store is not None and pending:
            store.commit()
            report.stored += pending
        pending = 0
        batch_started = time.monotonic()

    try:
        if store is not None:
            store.begin()
        for result in results:
            if isinstance(result, MarsadError):
                fail(result)
                continue
            doc = result
            report.documents += 1
            if on_warning:
                for warning in doc.meta.warnings:
                    on_warning(warning)
            current = store is not None and not force and store.is_current(doc.content_hash, signature)
            if current and on_document is None:
                report.unchanged += 1
            else:
                try:
                    pipeline(doc)
                except MarsadError as err:
                    fail(err)
                    continue
                report.processed += 1
                if on_document is not None:
                    on_document(doc)
                if store is not None:
                    if current:
                        report.unchanged += 1
                    else:
                        store.save(doc, signature)
                        pending += 1
                        if pending >= batch_size or time.monotonic() - batch_started > batch_seconds:
                            commit()
                            store.begin()
            if on_progress:
                on_progress(report)
        commit()
        if store is not None:
            store.commit()
    except BaseException as exc:
        if store is not None and store.in_transaction:
            store.rollback()
        if not isinstance(exc, KeyboardInterrupt):
            raise
        report.interrupted = True
    finally:
        report.seconds = time.perf_counter() - started
    return report
