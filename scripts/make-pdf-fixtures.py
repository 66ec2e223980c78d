#!/usr/bin/env python3
"""Writes the hand-made PDF fixtures.

fixtures/pdf/shading_under_text.pdf:

Page 1: an axial shading (white to black along a short diagonal, extended
both ways, clipped to a box), then a black rectangle and a line of text
over it. Page 2: the same rectangle, then the same shading over it. See
tests/pdf.rs `shadings_under_the_rest_are_drawn_small_and_the_rest_over_them`.

fixtures/pdf/line_art_scans.pdf: 1-bit stencils of alternating one-pixel
black and white columns. Page 1: 4896 x 4704 pixels on 2 x 2 inches (about
2400 dpi, 12x the fax resolution). Page 2: the same, plus a small gray
image. Page 3: 600 x 600 pixels on 2 x 2 inches (300 dpi). See tests/pdf.rs
`only_line_art_far_above_fax_resolution_is_point_sampled`.

    python3 scripts/make-pdf-fixtures.py
"""
import zlib
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


def image_mask(width, height):
    """A stencil of alternating 1-pixel black (0 = paint) and white columns."""
    row = bytes([0x55]) * (width // 8)
    data = zlib.compress(row * height, 9)
    return (
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d"
        b" /ImageMask true /BitsPerComponent 1 /Filter /FlateDecode"
        b" /Length %d >>\nstream\n" % (width, height, len(data))
        + data
        + b"\nendstream"
    )


GRAY = bytes(range(0, 256, 4))  # an 8 x 8 gray ramp
SCAN_RESOURCES = (
    b"<< /XObject << /Fine 6 0 R /Coarse 7 0 R /Gray 8 0 R >> >>"
)


def scan_page(contents):
    return (
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources "
        + SCAN_RESOURCES
        + b" /Contents %d 0 R >>" % contents
    )


FINE = b"q 144 0 0 144 72 500 cm 0 g /Fine Do Q\n"
objects = [
    b"<< /Type /Catalog /Pages 2 0 R >>",
    b"<< /Type /Pages /Kids [3 0 R 4 0 R 5 0 R] /Count 3 >>",
    scan_page(9),
    scan_page(10),
    scan_page(11),
    image_mask(4896, 4704),
    image_mask(600, 600),
    b"<< /Type /XObject /Subtype /Image /Width 8 /Height 8"
    b" /ColorSpace /DeviceGray /BitsPerComponent 8 /Length 64 >>\nstream\n"
    + GRAY
    + b"\nendstream",
    stream(FINE),
    stream(FINE + b"q 72 0 0 72 400 100 cm /Gray Do Q\n"),
    stream(b"q 144 0 0 144 72 500 cm 0 g /Coarse Do Q\n"),
]
(root / "fixtures/pdf/line_art_scans.pdf").write_bytes(pdf(objects))
