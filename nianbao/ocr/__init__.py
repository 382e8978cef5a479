"""Reading scanned reports: page images to text lines and table grids, offline (see `policy` for the limits)."""
