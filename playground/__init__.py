"""playground package."""
