"""pdfium functions asked once a character or a page object, through prototypes that take plain addresses
and keep the GIL.

pypdfium2's own bindings check each argument's pointer type and let the GIL go for every call; for
calls of well under a microsecond that costs more than the call (~0.3 µs of ~1 µs). These prototypes
are made from the same functions of the library pypdfium2 loaded; handles go in as `int` addresses
(`address`) and pointer results come back as `int` (or None for NULL). The two asked for every character
take their arguments unconverted (no argtypes: ~0.25 µs less again): the handle as a `c_void_p`, the index
as an `int` (ctypes passes it as a C int and refuses one that does not fit), the box as `ctypes.byref`.
"""

from __future__ import annotations

import ctypes
from ctypes import c_int, c_ulong, c_void_p

import pypdfium2.raw as pdfium_c


def _gil_holding(function, restype, *argtypes):
    address = ctypes.cast(function, c_void_p).value
    assert address is not None  # a function pypdfium2 found in the loaded library
    return ctypes.PYFUNCTYPE(restype, *argtypes)(address)


def address(handle) -> int | None:
    """The address a pypdfium2 handle (a typed pointer) points at; None for NULL."""
    return ctypes.cast(handle, c_void_p).value


def _unconverted(function, restype):
    prototype = _gil_holding(function, restype)
    prototype.argtypes = None  # arguments as they come: see the module's note
    return prototype


LOOSE_CHAR_BOX = _unconverted(pdfium_c.FPDFText_GetLooseCharBox, c_int)  # (text page, index, FS_RECTF)
UNICODE_MAP_ERROR = _unconverted(pdfium_c.FPDFText_HasUnicodeMapError, c_int)  # (text page, index)
PAGE_OBJECT = _gil_holding(pdfium_c.FPDFPage_GetObject, c_void_p, c_void_p, c_int)
OBJECT_TYPE = _gil_holding(pdfium_c.FPDFPageObj_GetType, c_int, c_void_p)
OBJECT_MATRIX = _gil_holding(pdfium_c.FPDFPageObj_GetMatrix, c_int, c_void_p, c_void_p)
FORM_OBJECT_COUNT = _gil_holding(pdfium_c.FPDFFormObj_CountObjects, c_int, c_void_p)
FORM_OBJECT = _gil_holding(pdfium_c.FPDFFormObj_GetObject, c_void_p, c_void_p, c_ulong)
SEGMENT_COUNT = _gil_holding(pdfium_c.FPDFPath_CountSegments, c_int, c_void_p)
SEGMENT = _gil_holding(pdfium_c.FPDFPath_GetPathSegment, c_void_p, c_void_p, c_int)
SEGMENT_POINT = _gil_holding(pdfium_c.FPDFPathSegment_GetPoint, c_int, c_void_p, c_void_p, c_void_p)
SEGMENT_TYPE = _gil_holding(pdfium_c.FPDFPathSegment_GetType, c_int, c_void_p)
SEGMENT_CLOSES = _gil_holding(pdfium_c.FPDFPathSegment_GetClose, c_int, c_void_p)
