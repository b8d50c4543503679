"""Everything a restore must bring back, as one JSON document: every report's interchange
export, every frozen version's SHA-256 (stored and recomputed), the audit trail (every
historical row and every workflow event) and the stored files. Run as a script against
DATABASE_URL, or call ``fingerprint()`` inside a configured Django."""

import hashlib
import json
import os
import sys
from pathlib import Path


def _digest(rows) -> str:
    text = json.dumps(rows, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()


def fingerprint() -> dict:
    from django.apps import apps
    from django.conf import settings

    from reporting.assemble import build_report_data
    from reporting.interchange import to_json
    from reporting.models import Report, ReportEvent, ReportVersion

    exports = {
        str(report.pk): to_json(build_report_data(report))
        for report in Report.objects.order_by("pk")
    }
    versions = [
        {
            "report": v.report_id,
            "number": v.number,
            "data_sha256": v.data_sha256,
            "pdf_sha256": v.pdf_sha256,
            "data_recomputed": hashlib.sha256(v.data.encode()).hexdigest(),
            "pdf_recomputed": hashlib.sha256(bytes(v.pdf)).hexdigest(),
        }
        for v in ReportVersion.objects.order_by("report_id", "number")
    ]
    history = {}
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            rows = list(model.objects.order_by("history_id").values())
            history[model._meta.label] = {"rows": len(rows), "sha256": _digest(rows)}
    events = list(ReportEvent.objects.order_by("pk").values())
    root = Path(settings.MEDIA_ROOT)
    files = (
        {
            p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*"))
            if p.is_file()
        }
        if root.is_dir()
        else {}
    )
    return {
        "exports": exports,
        "versions": versions,
        "history": history,
        "events": {"rows": len(events), "sha256": _digest(events)},
        "files": files,
    }


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    print(json.dumps(fingerprint(), ensure_ascii=False, default=str))
