"""Project-wide plumbing below every domain app: bulk inserts (COPY), the API error shape."""
