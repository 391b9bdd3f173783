"""Every platform export format the metrics import reads, one module per platform."""

from desktop.services.imports.formats import linkedin, meta, x, youtube
from desktop.services.imports.formats.base import Spec

ALL: tuple[Spec, ...] = (*meta.SPECS, *x.SPECS, *youtube.SPECS, *linkedin.SPECS)
