"""Translators' files: a revision's source text cut into segments, filled from the site's own
translations, written as PO or XLIFF, and read back into Markdown (SPEC §8)."""
