"""Reading (and writing) what users write: statuspage.yaml -> Config, incidents/*.md <-> Incident."""
