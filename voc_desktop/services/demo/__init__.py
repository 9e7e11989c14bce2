"""The sample workspace: accounts, visits and a photo to explore the app with. Imports other
services only, as the app's own screens do."""
