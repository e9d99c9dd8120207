"""The vetted corpus: Markdown documents with front matter, their loader and validator."""
