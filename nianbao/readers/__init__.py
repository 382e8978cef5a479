"""Format readers: HTML tables, DOCX and the checks that run before a file is opened."""
