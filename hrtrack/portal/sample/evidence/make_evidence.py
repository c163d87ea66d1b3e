"""Write the demo's evidence files (``python make_evidence.py`` in this folder; the files are
committed beside it). Every figure and sentence in them is invented for the hrtrack demo: they
stand for what an agency attaches to a progress report, and are no official document.

Only the standard library: a one-page PDF written object by object, a PNG bar chart drawn pixel
by pixel, and plain text and CSV. The output is the same on every run.
"""

import struct
import zlib
from pathlib import Path

HERE = Path(__file__).resolve().parent

NOTICE = "Demo evidence written for the hrtrack project: invented, not an official document."

#: Women's shelters operating at the end of each year (invented), the chart's bars, and the
#: demo indicator's values (hrtrack/portal/demo_story.py reads the same numbers).
SHELTERS = {2020: 62, 2021: 66, 2022: 71, 2023: 75, 2024: 79}
SHELTERS_TARGET = 90


def pdf(title: str, lines: list[str]) -> bytes:
    """A one-page A4 PDF with ``title`` and ``lines`` in Helvetica (Latin-1 text)."""

    def text(value: str) -> str:
        return value.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    body = [f"BT /F1 16 Tf 72 770 Td ({text(title)}) Tj ET", "BT /F1 11 Tf 72 740 Td 15 TL"]
    body += [f"({text(line)}) Tj T*" for line in lines]
    body += ["ET", f"BT /F1 8 Tf 72 60 Td ({text(NOTICE)}) Tj ET"]
    stream = "\n".join(body).encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Title (" + text(title).encode("latin-1") + b") /Producer (hrtrack demo) >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + content + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def png_chart(values: list[int], target: int, width: int = 480, height: int = 260) -> bytes:
    """Bars for ``values`` from a zero line, and a dashed line at ``target``, as an RGB PNG."""
    white, axis, bar, goal = (255, 255, 255), (90, 90, 90), (31, 94, 160), (196, 43, 28)
    pixels = [[white] * width for _ in range(height)]
    left, bottom, top = 40, height - 30, 20
    scale = (bottom - top) / max(target, *values)
    slot = (width - left - 20) // len(values)
    for index, value in enumerate(values):
        x0 = left + index * slot + slot // 5
        for y in range(bottom - round(value * scale), bottom):
            for x in range(x0, x0 + slot * 3 // 5):
                pixels[y][x] = bar
    goal_y = bottom - round(target * scale)
    for x in range(left, width - 20):
        if (x // 8) % 2 == 0:
            pixels[goal_y][x] = pixels[goal_y + 1][x] = goal
    for x in range(left, width - 20):
        pixels[bottom][x] = axis
    for y in range(top, bottom + 1):
        pixels[y][left] = axis
    raw = b"".join(b"\x00" + bytes(channel for pixel in row for channel in pixel) for row in pixels)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"tEXt", b"Title\x00Women's shelters operating, 2020-2024 (demo figures)")
            + chunk(b"tEXt", b"Description\x00" + NOTICE.encode("latin-1"))
            + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b""))


FILES = {
    "protection-mechanism-staffing-2024.pdf": lambda: pdf(
        "Protection mechanism for human rights defenders and journalists", [
            "Staffing and cases, 2024 (demo figures)",
            "",
            "Analysts assessing risk: 48 (2023: 36)",
            "People under protection at the end of the year: 1,812",
            "Risk assessments completed within 30 days: 71%",
            "State-level liaison offices agreed: 14 of 32",
            "",
            "Next steps: a liaison office in every state;",
            "risk assessments within 30 days in 90% of cases.",
        ]),
    "torture-registry-protocol.pdf": lambda: pdf(
        "National register of cases of torture: protocol", [
            "Draft protocol for recording complaints and investigations (demo)",
            "",
            "1. Every complaint of torture or ill-treatment is recorded within 24 hours.",
            "2. The record names the authority the complaint is about, never the victim.",
            "3. Each investigation's stage is updated monthly by the prosecutor in charge.",
            "4. Figures by state and by authority are published every quarter.",
        ]),
    "womens-shelters-2020-2024.png": lambda: png_chart(list(SHELTERS.values()), SHELTERS_TARGET),
    "consular-protection-note.txt": lambda: (
        "Consular protection for nationals abroad: note for the follow-up (demo)\n\n"
        "- Consulates with a protection desk for victims of violence: 52\n"
        "- Staff trained on the protocol this year: 310\n"
        "- Joint review with the counterpart's authorities: planned before the next round.\n\n"
        + NOTICE + "\n").encode("utf-8"),
    "training-attendance-2024.csv": lambda: (
        "course,month,participants,agency\n"
        "Human rights and the use of force,2024-03,120,SEDENA\n"
        "Istanbul Protocol for examiners,2024-05,45,FGR\n"
        "Human rights and the use of force,2024-09,96,SEMAR\n"
        "# " + NOTICE + "\n").encode("utf-8"),
}


def main() -> None:
    for name, make in FILES.items():
        (HERE / name).write_bytes(make())
        print(name)


if __name__ == "__main__":
    main()
