#!/usr/bin/env python3
"""Writes the hand-made PDF fixtures (fixtures/pdf/shading_under_text.pdf).

Page 1: an axial shading (white to black along a short diagonal, extended
both ways, clipped to a box), then a black rectangle and a line of text
over it. Page 2: the same rectangle, then the same shading over it. See
tests/pdf.rs `shadings_under_the_rest_are_drawn_small_and_the_rest_over_them`.

    python3 scripts/make-pdf-fixtures.py
"""
from pathlib import Path


def pdf(objects):
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return out


def stream(data):
    return b"<< /Length %d >>\nstream\n" % len(data) + data + b"\nendstream"


SHADING = b"q 72 400 468 300 re W n /Sh0 sh Q\n"
RECTANGLE = b"0 g 200 500 100 50 re f\n"
TEXT = b"BT /F1 24 Tf 80 420 Td (Shading under text) Tj ET\n"
RESOURCES = b"<< /Shading << /Sh0 5 0 R >> /Font << /F1 6 0 R >> >>"


def page(contents):
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
        + RESOURCES
        + b" /Contents %d 0 R >>" % contents
    )


objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R 4 0 R] /Count 2 >>",
    page(7),
    page(8),
    b"<< /ShadingType 2 /ColorSpace /DeviceGray /Coords [280 560 300 600]"
    b" /Function << /FunctionType 2 /Domain [0 1] /C0 [1] /C1 [0] /N 1 >>"
    b" /Extend [true true] >>",
    b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    stream(SHADING + RECTANGLE + TEXT),
    stream(RECTANGLE + SHADING),
]
root = Path(__file__).resolve().parent.parent
(root / "fixtures/pdf/shading_under_text.pdf").write_bytes(pdf(objects))
