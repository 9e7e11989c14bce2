"""The laptop's workspace itself: opening it, the one lock per workspace, and the folders it may
live in. Imports store/ and domain/; every other service builds on it."""
