"""`statuspage alert`: monitors' webhook bodies -> incident files, exactly once."""
