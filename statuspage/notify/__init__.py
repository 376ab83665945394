"""Notifications: each update of the page, sent once to every chat webhook and mailing list.

source/notify_config.py (the `notify:` config) → endpoints.py (secrets at send time) →
events.py (site, now → events) → messages.py (templates) → payloads.py / mail.py (per
format) → transport.py (HTTP, SMTP, retries) → state.py (what each endpoint has received)
→ run.py (the loop); the command is commands/notify.py.
"""
