"""pdfium functions asked once a character, a page object or a path segment, through prototypes that keep
the GIL and take their arguments unconverted.

pypdfium2's own bindings convert each argument through its declared type and let the GIL go for every
call; for calls of well under a microsecond that costs more than the call (~0.5 µs of ~1 µs). These
prototypes are made from the same functions of the library pypdfium2 loaded, without argtypes: a handle
goes in as the ctypes object it is (pypdfium2's typed pointer, or a `Handle` these return), an index as
an `int` (passed as a C int; ctypes refuses one that does not fit), an output as `ctypes.byref(...)`.
"""

from __future__ import annotations

import ctypes
from ctypes import c_double, c_int, c_ulong, c_void_p

import pypdfium2.raw as pdfium_c


def _gil_holding(function, restype, *argtypes):
    address = ctypes.cast(function, c_void_p).value
    assert address is not None  # a function pypdfium2 found in the loaded library
    return ctypes.PYFUNCTYPE(restype, *argtypes)(address)


class Handle(c_void_p):
    """A pointer pdfium returned, kept as a ctypes object (a plain c_void_p result would come back as an `int`,
    which an unconverted argument would pass as a C int)."""


def _unconverted(function, restype):
    prototype = _gil_holding(function, restype)
    prototype.argtypes = None  # arguments as they come: see the module's note
    return prototype


LOOSE_CHAR_BOX = _unconverted(pdfium_c.FPDFText_GetLooseCharBox, c_int)  # (text page, index, byref FS_RECTF)
UNICODE_MAP_ERROR = _unconverted(pdfium_c.FPDFText_HasUnicodeMapError, c_int)  # (text page, index)
PAGE_OBJECT = _unconverted(pdfium_c.FPDFPage_GetObject, Handle)  # (page, index)
OBJECT_TYPE = _unconverted(pdfium_c.FPDFPageObj_GetType, c_int)  # (object)
OBJECT_MATRIX = _unconverted(pdfium_c.FPDFPageObj_GetMatrix, c_int)  # (object, byref FS_MATRIX)
FORM_OBJECT_COUNT = _unconverted(pdfium_c.FPDFFormObj_CountObjects, c_int)  # (form object)
# (form object, index): its index is an unsigned long, which an unconverted int would not fill
FORM_OBJECT = _gil_holding(pdfium_c.FPDFFormObj_GetObject, Handle, c_void_p, c_ulong)
SEGMENT_COUNT = _unconverted(pdfium_c.FPDFPath_CountSegments, c_int)  # (path object)
SEGMENT = _unconverted(pdfium_c.FPDFPath_GetPathSegment, Handle)  # (path object, index)
SEGMENT_POINT = _unconverted(pdfium_c.FPDFPathSegment_GetPoint, c_int)  # (segment, byref float x, byref float y)
SEGMENT_TYPE = _unconverted(pdfium_c.FPDFPathSegment_GetType, c_int)  # (segment)
SEGMENT_CLOSES = _unconverted(pdfium_c.FPDFPathSegment_GetClose, c_int)  # (segment)
FONT_SIZE = _unconverted(pdfium_c.FPDFText_GetFontSize, c_double)  # (text page, index)
FONT_WEIGHT = _unconverted(pdfium_c.FPDFText_GetFontWeight, c_int)  # (text page, index)
# (text page, index, buffer, its length, byref int flags or None): the length is an unsigned long
FONT_INFO = _gil_holding(pdfium_c.FPDFText_GetFontInfo, c_ulong, c_void_p, c_int, c_void_p, c_ulong, c_void_p)
TEXT_OBJECT = _unconverted(pdfium_c.FPDFText_GetTextObject, Handle)  # (text page, index)
RENDER_MODE = _unconverted(pdfium_c.FPDFTextObj_GetTextRenderMode, c_int)  # (text object)
