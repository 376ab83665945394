"""Third-party providers' status: `statuspage upstream pull` fetches and normalises it."""
