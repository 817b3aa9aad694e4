"""Arrow columns written as PostgreSQL's binary COPY format, by Arrow kernels and numpy.

Binary COPY spares PostgreSQL the parsing that text COPY costs it (CSV quoting, numbers from
text, shapes from hex): at a million parcels that is about a third of the server's time for the
same rows. Each field is its big-endian length and its bytes; a row is the field count and its
fields. The fields are built column by column and joined row by row with
``binary_join_element_wise``, so no Python object is made per row.

The formats (PostgreSQL's ``*_recv`` functions): text is its UTF-8 bytes, ``int4`` four
big-endian bytes, ``numeric`` a header and base-10000 digits, ``jsonb`` a version byte and the
JSON text, and a PostGIS ``geometry`` its EWKB.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

HEADER = b"PGCOPY\n\xff\r\n\x00" + bytes(8)
"""The signature, no flags, no header extension."""
TRAILER = b"\xff\xff"
NULL_LENGTH = -1
JSONB_VERSION = b"\x01"
NUMERIC_FIELD = np.dtype(
    [
        ("length", ">i4"),
        ("ndigits", ">i2"),
        ("weight", ">i2"),
        ("sign", ">u2"),
        ("dscale", ">i2"),
        ("high", ">i2"),
        ("low", ">i2"),
        ("cents", ">i2"),
    ]
)
"""A positive numeric with two decimals as three base-10000 digits: 9999 9999 . 99(00)."""
MAX_CENTS = 10**10
"""Numbers that three such digits hold (up to 99,999,999.99: ``numeric(10, 2)``)."""
WKB_POLYGON = b"\x01\x03\x00\x00\x00"
WKB_MULTIPOLYGON = b"\x01\x06\x00\x00\x00"
EWKB_SRID_FLAG = 0x20000000


def _fixed_width(values: np.ndarray) -> pa.Array:
    """A binary array whose every value is one element of ``values`` (a numpy record)."""
    width = values.dtype.itemsize
    offsets = np.arange(0, (len(values) + 1) * width, width, dtype=np.int32)
    data = pa.py_buffer(np.ascontiguousarray(values).tobytes())
    return pa.Array.from_buffers(pa.binary(), len(values), [None, pa.py_buffer(offsets), data])


def _lengths(values: pa.Array) -> pa.Array:
    """Each value's length as a field prefix; -1 (NULL) where the value is null."""
    lengths = pc.fill_null(pc.binary_length(values), NULL_LENGTH)
    return _fixed_width(lengths.to_numpy().astype(">i4"))


def bytes_field(values: pa.Array) -> list[pa.Array]:
    """A field of text or bytes, taken as they are (the row join skips a null's bytes)."""
    values = pc.cast(values, pa.binary())
    return [_lengths(values), values]


def int4_field(values: np.ndarray) -> list[pa.Array]:
    """An ``int4`` field of values without nulls that fit 32 bits."""
    record = np.empty(len(values), dtype=[("length", ">i4"), ("value", ">i4")])
    record["length"] = 4
    record["value"] = values
    return [_fixed_width(record)]


def numeric_field(cents: np.ndarray) -> list[pa.Array]:
    """A ``numeric`` field of positive amounts in hundredths (below ``MAX_CENTS``)."""
    whole, fraction = np.divmod(cents.astype(np.int64), 100)
    record = np.zeros(len(cents), dtype=NUMERIC_FIELD)
    record["length"] = NUMERIC_FIELD.itemsize - 4
    record["ndigits"] = 3
    record["weight"] = 1  # the first digit counts 10000s; PostgreSQL strips leading zeros
    record["dscale"] = 2
    record["high"], record["low"] = np.divmod(whole, 10000)
    record["cents"] = fraction * 100
    return [_fixed_width(record)]


def jsonb_field(values: pa.Array) -> list[pa.Array]:
    """A ``jsonb`` field from JSON text (PostgreSQL parses it, as it would from text)."""
    text = pc.cast(values, pa.binary())
    versioned = pc.binary_join_element_wise(JSONB_VERSION, text, b"")
    return [_lengths(versioned), versioned]


def geometry_field(wkb: pa.Array, srid: int) -> list[pa.Array]:
    """A PostGIS MultiPolygon field from little-endian 2D WKB (Polygon or MultiPolygon).

    The SRID goes into the EWKB header; a Polygon is wrapped as a MultiPolygon of one, as
    ``ST_Multi`` would, so the column's type takes it. Callers check the headers first
    (``wkb_headers``).
    """
    multi_header = b"\x01" + (6 | EWKB_SRID_FLAG).to_bytes(4, "little") + srid.to_bytes(4, "little")
    wkb = pc.cast(wkb, pa.binary())
    polygon = pc.equal(wkb_headers(wkb), WKB_POLYGON)
    ewkb = pc.if_else(
        polygon,
        pc.binary_join_element_wise(multi_header + (1).to_bytes(4, "little"), wkb, b""),
        pc.binary_join_element_wise(multi_header, _after_header(wkb), b""),
    )
    return [_lengths(ewkb), ewkb]


def _after_header(wkb: pa.Array) -> pa.Array:
    """Each WKB value without its first five bytes."""
    # An explicit stop: pyarrow 26's binary_slice fails without one.
    longest = pc.max(pc.binary_length(wkb)).as_py() or 0
    return pc.binary_slice(wkb, 5, max(longest, 5))


def wkb_headers(wkb: pa.Array) -> pa.Array:
    """The first five bytes of each WKB value: its byte order and geometry type."""
    return pc.binary_slice(pc.cast(wkb, pa.binary()), 0, 5)


def binary_rows(fields: list[list[pa.Array]]) -> pa.Buffer:
    """The COPY data of whole rows (without header or trailer), one row per array position."""
    count = np.full(len(fields[0][0]), len(fields), dtype=">i2")
    parts = [_fixed_width(count), *(part for field in fields for part in field)]
    rows = pc.binary_join_element_wise(*parts, b"", null_handling="skip")
    positions = np.frombuffer(rows.buffers()[1], dtype=np.int32)
    positions = positions[rows.offset : rows.offset + len(rows) + 1]
    return rows.buffers()[2][int(positions[0]) : int(positions[-1])]
