"""A small, format-neutral table model shared by the .docx and HTML writers.

Rows are written the way HTML writes them: each row lists only the cells that *start*
in it, left to right; positions already covered by a row span from above are skipped
automatically.  `Grid.layout()` resolves this into origin positions, which both the
docx writer (gridSpan / vMerge) and the HTML writer (rowspan / colspan) consume.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class C:
    """One origin cell."""

    text: str = ""
    cs: int = 1  # column span
    rs: int = 1  # row span
    bold: bool = False
    align: str = "center"  # "center" | "left" | "right"


@dataclass
class Placed:
    row: int
    col: int
    cell: C


@dataclass
class Grid:
    n_cols: int
    rows: list[list[C]] = field(default_factory=list)
    widths_cm: list[float] | None = None  # one per grid column
    header_rows: int = 0  # leading rows marked "repeat as header row on each page"
    font_pt: float = 10.5

    def add(self, *cells: C | str) -> "Grid":
        self.rows.append([c if isinstance(c, C) else C(c) for c in cells])
        return self

    @property
    def n_rows(self) -> int:
        return len(self.rows)

    def layout(self) -> tuple[list[Placed], list[list[Placed | None]]]:
        """Origins in reading order, and for every grid position the origin covering it."""
        cover: list[list[Placed | None]] = [[None] * self.n_cols for _ in self.rows]
        placed: list[Placed] = []
        for r, row in enumerate(self.rows):
            c = 0
            for cell in row:
                while c < self.n_cols and cover[r][c] is not None:
                    c += 1
                if c + cell.cs > self.n_cols or r + cell.rs > self.n_rows:
                    raise ValueError(f"cell {cell.text!r} at row {r} col {c} overflows the grid")
                p = Placed(r, c, cell)
                placed.append(p)
                for rr in range(r, r + cell.rs):
                    for cc in range(c, c + cell.cs):
                        if cover[rr][cc] is not None:
                            raise ValueError(f"cell {cell.text!r} overlaps at ({rr},{cc})")
                        cover[rr][cc] = p
                c += cell.cs
            if any(x is None for x in cover[r]):
                raise ValueError(f"row {r} leaves positions empty: {[x is None for x in cover[r]]}")
        return placed, cover

    def text_grid(self) -> list[list[str]]:
        _, cover = self.layout()
        return [[p.cell.text if p else "" for p in row] for row in cover]
