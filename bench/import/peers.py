#!/usr/bin/env python3
"""Bare read of a workbook by a Python library: the yardstick for `leitstand import`.

Usage: peers.py MODE FILE   (MODE: openpyxl | calamine)

Reads every cell of every sheet and touches each value, nothing more: no validation,
no conversion, no database. Prints one line with the number of sheets, rows, cells and
non-empty cells, so that run.sh can check that both readers did the same work.

The libraries are imported inside the mode's function, so each run pays only for the
library it measures (interpreter start-up is part of the measured time either way).
"""

import sys


def read_openpyxl(path):
    from openpyxl import load_workbook

    sheets = rows = cells = filled = 0
    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        for ws in wb.worksheets:
            sheets += 1
            for row in ws.iter_rows(values_only=True):
                rows += 1
                for value in row:
                    cells += 1
                    if value is not None and value != "":
                        filled += 1
    finally:
        wb.close()  # read-only mode keeps the archive open until closed
    return sheets, rows, cells, filled


def read_calamine(path):
    from python_calamine import CalamineWorkbook

    sheets = rows = cells = filled = 0
    wb = CalamineWorkbook.from_path(path)
    for name in wb.sheet_names:
        sheets += 1
        for row in wb.get_sheet_by_name(name).to_python():
            rows += 1
            for value in row:
                cells += 1
                if value is not None and value != "":
                    filled += 1
    return sheets, rows, cells, filled


MODES = {"openpyxl": read_openpyxl, "calamine": read_calamine}


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in MODES:
        sys.exit(f"usage: {sys.argv[0]} {{{'|'.join(MODES)}}} FILE")
    mode, path = sys.argv[1], sys.argv[2]
    sheets, rows, cells, filled = MODES[mode](path)
    print(f"{mode}: sheets={sheets} rows={rows} cells={cells} nonempty={filled}")


if __name__ == "__main__":
    main()
