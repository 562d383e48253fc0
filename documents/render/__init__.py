"""Printable PDFs of signed documents (WeasyPrint, shipped CJK font; no Django imports)."""

from documents.render.fonts import unprintable_characters
from documents.render.pdf import DocumentRenderError, render_document_pdf, render_documents_pdf

__all__ = [
    "DocumentRenderError",
    "render_document_pdf",
    "render_documents_pdf",
    "unprintable_characters",
]
