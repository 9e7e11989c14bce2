"""A visit as it runs: the interview page, notes, coach, question list and summarize-back.
Imports ui/common and services/; never ui/laptop or ui/archive."""
