"""What one build keeps for the next: the build cache's file format and what it is keyed by."""
