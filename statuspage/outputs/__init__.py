"""Pure: a site at an instant -> every file of the built site."""
