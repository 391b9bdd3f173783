"""Full JSON export and import of everything, the audit log included (docs/data-format.md).

``service`` holds the use cases; ``export`` writes, ``reader`` reads the document as a stream
of rows, ``columns`` parses a row's values, ``checks`` is the pipeline of checks every row
goes through, ``load`` writes rows (or merges them into a database that has data).

A further check (record digests, a signed chain head) is a ``RowCheck`` added to the
pipeline: ``TransferService(ctx, checks=lambda: [*standard_checks(), MyCheck()])``. Its
``finish`` runs before the commit; ``TransferService.verify_file`` runs every check over a file
and writes nothing, for a check that must pass before anything is written at all.
"""

from desktop.services.transfer.checks import RowCheck, standard_checks
from desktop.services.transfer.columns import ImportRefused
from desktop.services.transfer.export import FORMAT, FORMAT_VERSION, METADATA_KEYS
from desktop.services.transfer.load import ImportSummary
from desktop.services.transfer.service import TransferService

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "METADATA_KEYS",
    "ImportRefused",
    "ImportSummary",
    "RowCheck",
    "TransferService",
    "standard_checks",
]
