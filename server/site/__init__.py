"""Content and pages: the routine's content, its API, the HTML pages, the PWA and static files."""
