"""Names the dead-code check (vulture, run by scripts/test.sh) must not report: they are used,
but not in a way it can see. Add a name here only with its reason; remove what is really unused.
"""
# ruff: noqa
# mypy: ignore-errors

# Qt calls these overrides itself.
_.filterAcceptsRow
_.lessThan
_.paint
_.paintEvent
_.minimumSizeHint
_.dragEnterEvent
_.addSpacing
_.itemAt
_.takeAt
_.expandingDirections
_.textFromValue
_.valueFromText
_.handleError  # logging.Handler
source_parent  # an argument of filterAcceptsRow's signature

# The window finds these page actions by name (ui/main_window.py, page_actions).
_.focus_search

# Attributes set on library objects (python-docx, openpyxl, SQLite, Qt, pyexpat): the library
# reads them.
_.StartElementHandler
_.EndElementHandler
_.CharacterDataHandler
_.buffer_text
_.buffer_size
_._blob
_.backgroundBrush
_.base_style
_.comments
_.first_line_indent
_.footer_distance
_.header_distance
_.is_linked_to_previous
_.isolation_level
_.keep_with_next
_.keywords
_.last_modified_by
_.line_spacing_rule
_.quick_style
_.space_after
_.space_before
_.start_type
_.widow_control

# References kept so that Qt does not delete the object (a popup calendar, a modeless dialog,
# a test's dialog).
_._calendar
_._keep
_.notice_dialog

exc_info  # the arguments of __exit__
ocr_seconds  # the OCR time of a read file: recorded by app/reading/text.py, shown nowhere yet

# pytest finds these by name (hooks, fixtures, module marks).
_fixed_today
pytest_configure
pytest_collection_modifyitems
pytestmark
_isolated_data_dir
_inline
_synchronous
_thread_pool
locked
no_ring
short_busy_timeout
synchronous
