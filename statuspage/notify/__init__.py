"""Notifications: each update of the page, sent once to every chat webhook and mailing list.

endpoints.py (the `notify:` config) → events.py (site, now → events) → messages.py
(templates) → payloads.py / mail.py (per format) → transport.py (HTTP, SMTP, retries)
→ state.py (what each endpoint has received) → run.py (the loop) → command.py (CLI).
"""
