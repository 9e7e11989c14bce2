"""The interviewer's window on a laptop: visit list, new visit, visit and account pages, follow-up,
contact plan, sync and backups. Imports ui/common, ui/interview and ui/guides; never ui/archive."""
