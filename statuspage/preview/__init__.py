"""`statuspage serve`'s parts: rebuild on change, watch files, mark up pages, serve them."""
