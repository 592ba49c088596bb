"""Reading Ofsted Annex A case lists exactly as councils export them (LCS, Mosaic,
Eclipse, …). Pure parsing, no database: `sampling.services.frame_read` streams a file
through it.

- `cells`: one cell: spaces, spreadsheet error values, formulas, IDs, dates, ages.
- `codes`: Annex A's code lists, lettered (`a) Male`), bare (`WBRI`) or labelled.
- `columns`: the columns read, the lists, and how a header or a sheet is recognised.
- `files`: CSV and XLSX, one list or a workbook of every list.
- `rows`: one row's meaning, its refusals and its notes.
"""

from __future__ import annotations

from .cells import identifier, is_error, parse_age, parse_date, squash, text
from .columns import (
    BY_KEY,
    COLUMNS,
    HEADER_SEARCH_ROWS,
    LIST_PRECEDENCE,
    LISTS,
    REQUIRED,
    HeaderMap,
    accepted_columns,
    detect_list,
    is_header,
    list_number_from_sheet,
    match_header,
)
from .files import (
    EncodingError,
    FileKind,
    FilePlan,
    Part,
    estimate_rows,
    plan,
    read_rows,
    sniff_kind,
)
from .rows import MAX_ID, Note, ParsedRow, RowReader, age_band, is_blank

__all__ = [
    "BY_KEY",
    "COLUMNS",
    "HEADER_SEARCH_ROWS",
    "LISTS",
    "LIST_PRECEDENCE",
    "MAX_ID",
    "REQUIRED",
    "EncodingError",
    "FileKind",
    "FilePlan",
    "HeaderMap",
    "Note",
    "ParsedRow",
    "Part",
    "RowReader",
    "accepted_columns",
    "age_band",
    "detect_list",
    "estimate_rows",
    "identifier",
    "is_blank",
    "is_error",
    "is_header",
    "list_number_from_sheet",
    "match_header",
    "parse_age",
    "parse_date",
    "plan",
    "read_rows",
    "sniff_kind",
    "squash",
    "text",
]
