"""`statuspage diff`: what a change to the site's files does to what customers see."""
