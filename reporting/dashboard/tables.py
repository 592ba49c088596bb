"""The figures as plain data: every table on the dashboard and in the reports is a `Table` of
plain values (numbers, text, None), each chart is drawn from one, and the same table goes to
the page, the PDF, the CSV and the XLSX. A `Section` groups a heading, its headline figures,
its charts and tables; sections turn into JSON and back so that a report keeps its figures
unchanged.

Percentages are stored as numbers from 0 to 100 (one decimal place); a column's `kind` says
how to show it: "int", "percent", "text", "days".
"""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Column:
    key: str
    label: str
    kind: str = "int"  # int, percent, text, days

    @property
    def numeric(self) -> bool:
        return self.kind != "text"


@dataclass
class Table:
    key: str  # unique on the page: the download's name
    caption: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    # The drill-down link of each cell (same shape as rows; None: no link).
    links: list[list[str | None]] | None = None
    note: str = ""
    # The screen shows the first `screen_rows`; the downloads carry every row.
    screen_rows: int | None = None
    # How many rows there are when only the first were read (the dashboard cuts its longest
    # tables in the database); None: `rows` holds them all.
    total_rows: int | None = None

    def add(self, values: list[Any], links: list[str | None] | None = None) -> None:
        if links is not None and self.links is None:
            self.links = [[None] * len(self.columns) for _ in self.rows]
        self.rows.append(values)
        if self.links is not None:
            self.links.append(links or [None] * len(self.columns))

    def column(self, key: str) -> list[Any]:
        index = [c.key for c in self.columns].index(key)
        return [row[index] for row in self.rows]

    def row_dicts(self) -> list[dict[str, Any]]:
        keys = [c.key for c in self.columns]
        return [dict(zip(keys, row, strict=True)) for row in self.rows]

    def cells(self, limit: bool = True):
        """(column, text, link) for each cell of each row, for the templates: the text as
        `show` writes it, the link only where there is something to link."""
        rows = self.rows[: self.screen_rows] if limit and self.screen_rows else self.rows
        columns = self.columns
        for i, row in enumerate(rows):
            links = self.links[i] if self.links else [None] * len(row)
            yield [
                (column, show(value, column.kind), link if value else None)
                for column, value, link in zip(columns, row, links, strict=True)
            ]

    @property
    def rows_for_print(self) -> list:
        return list(self.cells(limit=False))

    @property
    def hidden_rows(self) -> int:
        rows = len(self.rows) if self.total_rows is None else self.total_rows
        if self.screen_rows and rows > self.screen_rows:
            return rows - self.screen_rows
        return 0

    def to_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> Table:
        data = dict(data)
        data["columns"] = [Column(**c) for c in data["columns"]]
        return cls(**data)


@dataclass
class Figure:
    """A headline number with the list behind it."""

    label: str
    value: Any
    kind: str = "int"
    href: str | None = None
    note: str = ""


@dataclass
class Chart:
    """What to draw from a table: `kind` "bar" (one series), "stacked" (several series
    stacked in each category) or "line" (series over months, the first with an interval
    band from `band`)."""

    kind: str
    table: str  # the table's key
    title: str
    description: str
    category: str  # the column naming each bar or point
    series: list[str]
    band: tuple[str, str] | None = None
    percent: bool = False


@dataclass
class Section:
    key: str
    title: str
    intro: str = ""
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def table(self, key: str) -> Table:
        for table in self.tables:
            if table.key == key:
                return table
        raise KeyError(key)

    def blocks(self):
        """Each table with the chart drawn from it (or None), in order, for the templates."""
        charts = {c.table: c for c in self.charts}
        return [(charts.get(t.key), t) for t in self.tables]

    def to_dict(self) -> dict:
        return {
            "key": self.key,
            "title": self.title,
            "intro": self.intro,
            "figures": [asdict(f) for f in self.figures],
            "charts": [asdict(c) for c in self.charts],
            "tables": [t.to_dict() for t in self.tables],
            "notes": list(self.notes),
        }

    @classmethod
    def from_dict(cls, data: dict) -> Section:
        charts = []
        for c in data.get("charts", []):
            c = dict(c)
            if c.get("band"):
                c["band"] = tuple(c["band"])
            charts.append(Chart(**c))
        return cls(
            key=data["key"],
            title=data["title"],
            intro=data.get("intro", ""),
            figures=[Figure(**f) for f in data.get("figures", [])],
            charts=charts,
            tables=[Table.from_dict(t) for t in data.get("tables", [])],
            notes=list(data.get("notes", [])),
        )


def show(value: Any, kind: str = "int") -> str:
    """A value as a table shows it: percentages with %, whole numbers with commas, an empty
    value as a dash."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if kind == "percent":
        return f"{value:.0f}%"
    if kind == "decimal":
        return f"{value:.2f}"
    if kind == "days":
        return f"{value:.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:,.1f}"


def find_table(sections: list[Section], key: str) -> Table | None:
    for section in sections:
        for table in section.tables:
            if table.key == key:
                return table
    return None


def percent(part: int | float, whole: int | float) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def share(value: float | None) -> float | None:
    """A proportion from 0 to 1 as a percentage to one decimal place."""
    return None if value is None else round(100 * value, 1)


# Downloads ----------------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    return "" if value is None else value


def table_csv(table: Table) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([c.label for c in table.columns])
    for row in table.rows:
        writer.writerow([_plain(v) for v in row])
    return out.getvalue()


def tables_xlsx(tables: list[Table], *, title: str = "", notes: list[str] | None = None) -> bytes:
    """A workbook with a sheet for each table: its caption in A1, the header row in row 3,
    then the rows; percentages as numbers (0-100) with the header saying so."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font

    book = Workbook(write_only=True)
    if title:
        sheet = book.create_sheet("About")
        sheet.append([title])
        for line in notes or []:
            sheet.append([line])
    taken: set[str] = set()
    bold = Font(bold=True)
    for table in tables:
        sheet = book.create_sheet(_sheet_title(table.caption, taken))
        heading = WriteOnlyCell(sheet, value=table.caption)
        heading.font = bold
        sheet.append([heading])
        sheet.append([table.note] if table.note else [])
        header = []
        for column in table.columns:
            cell = WriteOnlyCell(sheet, value=column.label)
            cell.font = bold
            header.append(cell)
        sheet.append(header)
        for row in table.rows:
            sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_BAD = set("[]:*?/\\")


def _sheet_title(name: str, taken: set[str]) -> str:
    # The caption up to its first comma or colon (the whole caption is in cell A1).
    name = name.split(",")[0].split(":")[0]
    base = "".join(" " if ch in _BAD else ch for ch in name).strip()[:31] or "Table"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title = base[: 31 - len(suffix)] + suffix
        n += 1
    taken.add(title.lower())
    return title
