"""Import units and received documents from ``.xlsx`` (and the program's own exports), in four
steps, one module each:

- :mod:`.read`: open the workbook safely (the limits of :mod:`app.exchange.xlsx_limits`), find
  the sheet and its header row, give each data row's cells as raw values;
- :mod:`.parse`: a raw row into typed values, a Vietnamese message for each unreadable cell
  (an empty cell keeps the stored value, :data:`CLEAR_MARKER` empties it);
- :mod:`.plan`: compare with the database — each row new / update (old → new per field) /
  unchanged / skipped / error, checked by the services' own rules (:func:`preview_import`);
- :mod:`.apply`: write the ticked rows in one transaction, as one import batch, through the
  services (:func:`apply_import`; :func:`app.services.imports.undo_import` undoes it).

:mod:`.template` writes the template to fill in (docs/excel-va-sao-luu.md).
"""

from app.exchange.xlsx_import.apply import ImportResult, apply_import
from app.exchange.xlsx_import.parse import CLEAR_MARKER
from app.exchange.xlsx_import.plan import ImportPreview, ImportRow, RowAction, preview_import
from app.exchange.xlsx_import.read import FIELDS
from app.exchange.xlsx_import.template import write_template

__all__ = [
    "CLEAR_MARKER",
    "FIELDS",
    "ImportPreview",
    "ImportResult",
    "ImportRow",
    "RowAction",
    "apply_import",
    "preview_import",
    "write_template",
]
