"""Chunking, embedding, FAISS and lexical search over the vetted corpus."""
