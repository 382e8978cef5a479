"""What an OCR reading must meet to count as a figure, and what OCR may cost; one owner for these limits.

Values chosen by measurement on the rasterised real report of the tests (README, "Scanned reports").
"""

from __future__ import annotations

# A value cell whose OCR confidence is below this is TEXT (not evaluable), never a guessed number.
MIN_CELL_CONFIDENCE = 0.80
# A page whose median text-line confidence is below this is refused (`ocr_unreadable`), not half read.
MIN_PAGE_CONFIDENCE = 0.50
DPI = 200  # render resolution of a PDF page (an image file keeps its own)
MIN_SOURCE_DPI = 100  # a scan coarser than this is refused (`ocr_unreadable`): at 80 dpi 4119 reads as 419
A4_WIDTH_INCH = 8.27  # an image without a stated resolution is taken as a portrait A4 page
PROSE_DPI = 200  # prose of a page scanned at less is read enlarged to this (titles are lost at 150 dpi)
SPECK_PIXELS = (
    5  # an ink blob smaller than this (at 200 dpi) in a cell is scan speckle (a 200-dpi "." is ~16)
)
MIN_INK_PIXELS = 12  # fewer ink pixels than this (at 200 dpi) in a cell: an empty cell, not a speck to read
MAX_PAGES = 60  # more pages than this is not one annual report (`too_many_pages`)
PAGE_BUDGET_S = 30.0  # wall-clock seconds per page for the OCR child process
START_BUDGET_S = 20.0  # engine start and rendering, once per document
MEMORY_MB = 2048  # address-space ceiling of the OCR child (page images and Tesseract's models)
