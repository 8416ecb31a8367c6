"""Teams, kept by an administrator in the browser."""
