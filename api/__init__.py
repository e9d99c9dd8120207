"""Clearpath's answer pipeline, guard, composer, FastAPI app and CLI."""
