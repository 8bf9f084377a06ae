"""What one build keeps for the next (the build cache, its memos, their keys and its file
format), wrapped around the pure stages of the core: nothing in the core imports it."""
