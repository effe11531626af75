"""Peak memory of the session import (issue 12): any file within the upload cap stays < 150 MB.

    PYTHONPATH=$PWD .venv/bin/python scripts/measure_import_memory.py [--rows 200000] [--keep DIR]

Builds, in a temporary directory: a dense workbook near the row cap (200,000 sessions × 8
columns, Excel's layout with shared strings, as big as fits in the 20 MB upload cap), a 20 MB
CSV, and the hostile workbooks of tests/presentations/test_import_hostile.py. A migrated SQLite
database is made once; each file is then imported twice in a fresh subprocess (a preview, i.e.
`dry_run=True`, and a confirm that saves, each on its own copy of the database), and the
subprocess reports its peak resident memory (VmHWM, see peak_rss_kb) minus its baseline after
Django setup.
The file's own bytes count: a worker holds them too.

    python scripts/measure_import_memory.py --child FILE preview|confirm

is the subprocess (DATABASE_URL names its database); it prints one JSON line.
"""

import argparse
import datetime
import io
import json
import os
import random
import resource
import shutil
import string
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_SHARED_STRINGS_BYTES = 64 * 1024 * 1024
HEADER = ("date", "borough", "stream", "attendees", "topics", "occasion", "presenter", "reference")
BOROUGHS = ("Camden", "Sutton", "Barnet", "Bexley", "Hammersmith and Fulham", "Westminster")
STREAMS = ("pssp", "non-pssp", "civil-actions", "accident-claims")
TOPICS = ("computer-misuse", "computer-misuse;deaths-in-custody", "", "taylor-reforms")
# Codes and labels the import has always read: the same files measure the old and new reader.
OCCASIONS = ("mandatory-training", "Seminar", "other", "conference")
EXCEL_EPOCH = datetime.date(1899, 12, 30)
FIRST_DAY = datetime.date(1995, 1, 1)

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CONTENT_TYPES = (
    '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
    'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-'
    'package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    'sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.'
    'worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/'
    'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
)


def _random_text(rng, length):
    return "".join(rng.choices(string.ascii_letters + string.digits, k=length))


def dense_rows(count, *, text_length, seed=12):
    """Valid sessions; presenter and reference are unique, random (incompressible) text."""
    rng = random.Random(seed)
    for number in range(count):
        yield (
            FIRST_DAY + datetime.timedelta(days=number % 10_000),
            BOROUGHS[number % len(BOROUGHS)],
            STREAMS[number % len(STREAMS)],
            number % 300,
            TOPICS[number % len(TOPICS)],
            OCCASIONS[number % len(OCCASIONS)],
            "PS " + _random_text(rng, text_length),
            f"R{number:06d}-" + _random_text(rng, text_length // 2),
        )


def _column(index):
    return "ABCDEFGH"[index]


def write_dense_xlsx(path, rows, *, text_length):
    """A workbook as Excel writes one: text in the shared-string table, dates as serial numbers
    with a date style, numbers as numbers."""
    shared, shared_index = [], {}

    def text_cell(reference, value):
        if value not in shared_index:
            shared_index[value] = len(shared)
            shared.append(value)
        return f'<c r="{reference}" t="s"><v>{shared_index[value]}</v></c>'

    sheet = io.StringIO()
    sheet.write(f'<?xml version="1.0"?><worksheet xmlns="{NS}"><sheetData>')
    sheet.write(
        '<row r="1">'
        + "".join(text_cell(f"{_column(i)}1", title) for i, title in enumerate(HEADER))
        + "</row>"
    )
    for number, row in enumerate(dense_rows(rows, text_length=text_length), start=2):
        cells = [f'<c r="A{number}" s="1"><v>{(row[0] - EXCEL_EPOCH).days}</v></c>']
        for index, value in enumerate(row[1:], start=1):
            reference = f"{_column(index)}{number}"
            if isinstance(value, int):
                cells.append(f'<c r="{reference}"><v>{value}</v></c>')
            elif value:
                cells.append(text_cell(reference, value))
        sheet.write(f'<row r="{number}">{"".join(cells)}</row>')
    sheet.write("</sheetData></worksheet>")
    strings = "".join(f"<si><t>{value}</t></si>" for value in shared)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        archive.writestr(
            "_rels/.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        archive.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0"?><workbook xmlns="{NS}" xmlns:r="{DOC_RELS}"><sheets>'
            '<sheet name="Sessions" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        archive.writestr(
            "xl/_rels/workbook.xml.rels",
            f'<?xml version="1.0"?><Relationships xmlns="{RELS_NS}"><Relationship Id="rId1" '
            f'Type="{DOC_RELS}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{DOC_RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
        archive.writestr("xl/worksheets/sheet1.xml", sheet.getvalue())
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<?xml version="1.0"?><sst xmlns="{NS}" count="{len(shared)}" '
            f'uniqueCount="{len(shared)}">{strings}</sst>',
        )


def write_dense_csv(path, rows, *, text_length):
    with open(path, "w", encoding="utf-8", newline="") as out:
        out.write(",".join(HEADER) + "\r\n")
        for row in dense_rows(rows, text_length=text_length):
            out.write(",".join([row[0].isoformat(), *(str(value) for value in row[1:])]) + "\r\n")


def build_dense_files(directory, rows=200_000):
    """The dense XLSX and CSV, each made as large as fits within the upload cap."""
    directory = Path(directory)
    xlsx, csv_path = directory / "dense.xlsx", directory / "dense.csv"
    # Random text barely compresses: ~110 bytes a row stays under 20 MB once zipped.
    length = 48
    while True:
        write_dense_xlsx(xlsx, rows, text_length=length)
        if xlsx.stat().st_size <= MAX_UPLOAD_BYTES or length <= 4:
            break
        length -= 6
    # A CSV row is ~60 bytes plus the random text: fill 20 MB.
    length = max(4, (MAX_UPLOAD_BYTES - 200) // rows - 75)
    while True:
        write_dense_csv(csv_path, rows, text_length=length)
        if csv_path.stat().st_size <= MAX_UPLOAD_BYTES or length <= 4:
            break
        length -= 2
    return xlsx, csv_path


def build_hostile_files(directory):
    """The hostile workbooks of the hostile-import tests, as files."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dps.settings")
    import django

    django.setup()
    from tests.presentations import test_import_hostile as hostile

    files = {
        "zzzzz-columns": hostile.workbook(
            hostile.sheet(
                "".join(f'<row r="{n}"><c r="ZZZZZ{n}"><v>1</v></c></row>' for n in (1, 2, 3)),
                dimension="A1:ZZZZZ3",
            )
        ),
        "cell-without-column": hostile.workbook(
            hostile.sheet('<row r="1"><c r="12"><v>1</v></c></row>')
        ),
        "shared-string-out-of-range": hostile.workbook(
            hostile.sheet('<row r="1"><c r="A1" t="s"><v>7</v></c></row>'),
            extra=[("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{NS}"></sst>')],
        ),
        "not-xml": hostile.workbook("this is not a worksheet"),
    }

    def method_99(data, local, central):
        data[local + 8 : local + 10] = (99).to_bytes(2, "little")
        data[central + 10 : central + 12] = (99).to_bytes(2, "little")

    def understate(data, local, central):
        data[local + 22 : local + 26] = (10).to_bytes(4, "little")
        data[central + 24 : central + 28] = (10).to_bytes(4, "little")

    member = "xl/worksheets/sheet1.xml"
    files["unknown-compression"] = hostile._patch_member(hostile.good_workbook(), member, method_99)
    files["understated-size"] = hostile._patch_member(hostile.good_workbook(), member, understate)
    # One cell of 150 MB of a single letter (it zips to ~150 kB): refused, never held whole.
    huge_cell = "x" * 150_000_000
    files["one-enormous-cell"] = hostile.workbook(
        hostile.sheet(hostile.row(1, hostile.COLUMNS) + hostile.row(2, [huge_cell]))
    )
    # The shared-string table at its cap, all distinct tiny entries: the most entries it can hold.
    entries = (MAX_SHARED_STRINGS_BYTES - 200) // 24
    strings = "".join(f"<si><t>{number:08x}</t></si>" for number in range(entries))
    files["shared-strings-at-cap"] = hostile.workbook(
        hostile.sheet(hostile.row(1, hostile.COLUMNS)),
        extra=[("xl/sharedStrings.xml", f'<?xml version="1.0"?><sst xmlns="{NS}">{strings}</sst>')],
    )
    paths = []
    # A CSV of one 20 MB line of separators: refused at the line cap, never split into fields.
    line = Path(directory) / "one-long-line.csv"
    line.write_bytes(",".join(HEADER).encode() + b"\n" + b"," * (MAX_UPLOAD_BYTES - 100))
    paths.append(line)
    for name, content in files.items():
        path = Path(directory) / f"{name}.xlsx"
        path.write_bytes(content)
        paths.append(path)
    return paths


def migrated_database(directory):
    database = Path(directory) / "migrated.sqlite3"
    subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"],
        check=True,
        cwd=ROOT,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}", "PYTHONPATH": str(ROOT)},
    )
    return database


def measure(path, mode, database, directory):
    """Run one import in a fresh process on its own copy of the database; its figures."""
    copy = Path(directory) / f"run-{path.name}-{mode}.sqlite3"  # dense.xlsx and dense.csv differ
    shutil.copyfile(database, copy)
    try:
        completed = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", str(path), mode],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**os.environ, "DATABASE_URL": f"sqlite:///{copy}", "PYTHONPATH": str(ROOT)},
            check=False,
        )
    finally:
        copy.unlink(missing_ok=True)
    if completed.returncode != 0:
        raise RuntimeError(f"{path.name} {mode}: {completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def peak_rss_kb():
    """This process's peak resident memory in kB.

    /proc's VmHWM belongs to the process's own address space. ru_maxrss would do on a process
    started from a small one, but Linux carries the parent's peak into it across fork and exec,
    so a child of a big test process would report the parent's peak as its own.
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def child(path, mode):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dps.settings")
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("SECRET_KEY", "measure-import-memory-" + "x" * 40)
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from presentations import imports
    from presentations.models import Delivery

    Delivery.objects.exists()  # opens the connection: part of any worker's baseline
    baseline = peak_rss_kb()
    started = time.monotonic()
    figures = {"file": path.name, "mode": mode, "bytes": path.stat().st_size}
    try:
        result = imports.import_file(path.name, path.read_bytes(), dry_run=mode == "preview")
    except imports.ImportRejected as rejected:
        figures["outcome"] = f"refused: {str(rejected)[:80]}"
    else:
        figures["outcome"] = (
            f"{len(result.errors)} errors" if result.errors else f"{result.total} sessions"
        )
        if mode == "confirm" and not result.errors:
            figures["saved"] = Delivery.objects.count()
    peak = peak_rss_kb()
    figures.update(
        baseline_mb=round(baseline / 1024, 1),
        peak_mb=round(peak / 1024, 1),
        over_baseline_mb=round((peak - baseline) / 1024, 1),
        seconds=round(time.monotonic() - started, 1),
    )
    print(json.dumps(figures))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--child", nargs=2, metavar=("FILE", "MODE"))
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--keep", type=Path, help="build the files here and keep them")
    parser.add_argument("--skip-hostile", action="store_true")
    options = parser.parse_args()
    if options.child:
        child(Path(options.child[0]), options.child[1])
        return
    directory = options.keep or Path(tempfile.mkdtemp(prefix="import-memory-"))
    directory.mkdir(parents=True, exist_ok=True)
    try:
        files = list(build_dense_files(directory, options.rows))
        if not options.skip_hostile:
            files += build_hostile_files(directory)
        database = migrated_database(directory)
        print(f"{'file':32} {'mode':8} {'MB file':>8} {'MB over':>8} {'s':>6}  outcome")
        for path in files:
            for mode in ("preview", "confirm"):
                figures = measure(path, mode, database, directory)
                print(
                    f"{path.name:32} {mode:8} {figures['bytes'] / 1024 / 1024:8.1f} "
                    f"{figures['over_baseline_mb']:8.1f} {figures['seconds']:6.1f}  "
                    f"{figures['outcome']}",
                    flush=True,
                )
    finally:
        if not options.keep:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
