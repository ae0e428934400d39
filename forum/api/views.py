"""Views (to be filled)."""
