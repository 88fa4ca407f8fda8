"""Regenerates the bundled PDF press release (needs the ``dev`` extra: reportlab).

    python -m monitor.demoweb.make_pdf

The PDF imitates the Staatskanzlei's press information: a letterhead on each page,
"Seite 1 von 2", and a page break in the middle of a sentence.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from monitor.demoweb.documents import documents

LETTERHEAD = ["Presseinformation – L-Duisburg", "Staatskanzlei · Pressestelle · 40190 Düsseldorf",
              "Telefon 0211 837-1134 · presse@stk.nrw.de · www.land.nrw"]


def build(doc_id: str = "seed002") -> bytes:
    from io import BytesIO

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    doc = documents()[doc_id]
    buf = BytesIO()
    canvas = Canvas(buf, pagesize=A4)
    canvas.setTitle(doc.title)
    width, height = A4
    # Body: the paragraphs of the release after the title, wrapped by hand.
    body = [p for p in doc.paragraphs if len(p) > 120]
    words = " ".join(body).split()
    lines, line = [], ""
    for w in words:
        if len(line) + len(w) > 95:
            lines.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    lines.append(line)
    per_page = 22
    pages = [lines[i : i + per_page] for i in range(0, len(lines), per_page)]
    for n, chunk in enumerate(pages, 1):
        canvas.setFont("Helvetica", 8)
        for i, head in enumerate(LETTERHEAD):
            canvas.drawString(50, height - 40 - 10 * i, head)
        canvas.drawString(width - 150, height - 40, doc.published.strftime("%d.%m.%Y"))
        canvas.drawString(width - 150, height - 50, f"Seite {n} von {len(pages)}")
        y = height - 100
        if n == 1:
            canvas.setFont("Helvetica-Bold", 12)
            canvas.drawString(50, y, doc.title)
            y -= 24
        canvas.setFont("Helvetica", 10)
        for text in chunk:
            canvas.drawString(50, y, text)
            y -= 14
        canvas.showPage()
    canvas.save()
    return buf.getvalue()


if __name__ == "__main__":
    target = Path(str(resources.files("monitor.demoweb"))) / "data" / "staatskanzlei-seed002.pdf"
    target.write_bytes(build())
    print(target)
