"""What an OCR reading must meet to count as a figure; one owner for the thresholds the readers and checks use."""

from __future__ import annotations

# A value cell whose OCR confidence is below this is TEXT (not evaluable), never a guessed number.
MIN_CELL_CONFIDENCE = 0.80
