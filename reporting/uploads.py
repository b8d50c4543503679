"""Uploaded Excel files, checked before anything parses them.

``check_xlsx(upload)`` refuses, with a Swedish message and before a byte of XML is read:

- a file larger than ``settings.XLSX_UPLOAD_MAX_BYTES``;
- a file that is not an .xlsx workbook: not a zip (its first bytes), no ``[Content_Types].xml``
  declaring a workbook, or a workbook of another kind;
- a zip whose entries would inflate beyond ``settings.XLSX_UPLOAD_MAX_INFLATED_BYTES`` in all,
  or any entry beyond ``settings.XLSX_UPLOAD_MAX_RATIO`` times its compressed size (a zip
  bomb), or with more than ``MAX_ENTRIES`` entries;
- a workbook with macros (.xlsm's content type, a ``vbaProject.bin`` anywhere).

The declared sizes are what Python's zipfile stops at when it inflates, so checking them bounds
the work. ``open_workbook(content)`` then opens the checked bytes with openpyxl in
``read_only`` mode (memory bounded, XML through defusedxml) and cached values instead of
formulas. Both imports (budget figures, the year's plan) go through here.
"""

import io
import zipfile

from defusedxml import ElementTree
from django.conf import settings
from openpyxl import load_workbook

ZIP_MAGIC = b"PK\x03\x04"
MAX_ENTRIES = 2000
CONTENT_TYPES = "[Content_Types].xml"
WORKBOOK_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"
MACRO_TYPES = {
    "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
    "application/vnd.ms-excel.template.macroEnabled.main+xml",
    "application/vnd.ms-office.vbaProject",
}
MACRO_ENTRY = "vbaproject.bin"

NOT_XLSX = (
    "Filen är ingen Excelfil i formatet .xlsx. Spara den i Excel som ”Excel-arbetsbok (*.xlsx)” "
    "och ladda upp den igen."
)


class UploadRefused(Exception):
    """An upload refused before parsing; the message is Swedish and says why."""


def _megabytes(size: int) -> str:
    return f"{size / 1_000_000:.1f}".replace(".", ",") + " MB"


def check_xlsx(upload) -> bytes:
    """The bytes of an uploaded .xlsx workbook, or ``UploadRefused`` (see the module)."""
    limit = settings.XLSX_UPLOAD_MAX_BYTES
    size = getattr(upload, "size", None)
    if size is not None and size > limit:
        raise UploadRefused(
            f"Filen är för stor ({_megabytes(size)}); högst {_megabytes(limit)} tas emot."
        )
    name = (getattr(upload, "name", "") or "").lower()
    if name.endswith((".xlsm", ".xltm", ".xlsb")):
        raise UploadRefused(
            "Filen är en Excelfil med makron. Spara den som ”Excel-arbetsbok (*.xlsx)” utan "
            "makron och ladda upp den igen."
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise UploadRefused(f"Filen är för stor; högst {_megabytes(limit)} tas emot.")
    check_xlsx_bytes(content)
    return content


def check_xlsx_bytes(content: bytes) -> None:
    """Refuse bytes that are not a safe .xlsx workbook (see the module)."""
    if not content.startswith(ZIP_MAGIC):
        raise UploadRefused(NOT_XLSX)
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise UploadRefused(NOT_XLSX) from None
    with archive:
        _check_entries(entries)
        try:
            types = archive.read(CONTENT_TYPES)
        except (KeyError, zipfile.BadZipFile, ValueError, OSError, NotImplementedError):
            raise UploadRefused(NOT_XLSX) from None
    _check_content_types(types)


def _check_entries(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise UploadRefused(f"Filen har för många delar ({len(entries)}) för en Excelfil.")
    total = 0
    ratio = settings.XLSX_UPLOAD_MAX_RATIO
    for entry in entries:
        if entry.filename.lower().rsplit("/", 1)[-1] == MACRO_ENTRY:
            raise UploadRefused(
                "Filen innehåller makron (vbaProject.bin). Spara den som ”Excel-arbetsbok "
                "(*.xlsx)” utan makron och ladda upp den igen."
            )
        total += entry.file_size
        if entry.file_size > max(entry.compress_size, 1) * ratio and entry.file_size > 1_000_000:
            raise UploadRefused(
                f"Filen packas upp till mycket mer än den är stor ({entry.filename}: "
                f"{_megabytes(entry.file_size)} ur {_megabytes(entry.compress_size)}); "
                "den tas inte emot."
            )
    limit = settings.XLSX_UPLOAD_MAX_INFLATED_BYTES
    if total > limit:
        raise UploadRefused(
            f"Filen packas upp till {_megabytes(total)}; högst {_megabytes(limit)} tas emot."
        )


def _check_content_types(types: bytes) -> None:
    try:
        root = ElementTree.fromstring(types)
    except Exception:  # defusedxml's refusals and plain parse errors alike
        raise UploadRefused(NOT_XLSX) from None
    declared = {element.get("ContentType", "") for element in root}
    if declared & MACRO_TYPES:
        raise UploadRefused(
            "Filen är en Excelfil med makron. Spara den som ”Excel-arbetsbok (*.xlsx)” utan "
            "makron och ladda upp den igen."
        )
    if WORKBOOK_TYPE not in declared:
        raise UploadRefused(NOT_XLSX)


def open_workbook(content: bytes):
    """The checked bytes as an openpyxl workbook in read-only mode, values not formulas."""
    try:
        return load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds for a broken file
        raise UploadRefused(
            "Filen gick inte att läsa som en Excelfil. Spara den som ”Excel-arbetsbok (*.xlsx)” "
            "och ladda upp den igen."
        ) from None
