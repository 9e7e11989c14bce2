"""Visit reports: one content model, written out as DOCX and as PDF."""
