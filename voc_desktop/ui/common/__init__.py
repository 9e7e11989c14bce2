"""What every window shares: the look, background work, notices, shortcuts, undo, the change
bus, SQL-backed list pages and report export. Imports services/ and Qt; never a feature folder."""
