"""What users write, read (and written): statuspage.yaml -> Config, incidents/*.md <-> Incident."""
