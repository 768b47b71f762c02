"""Corpus passes: work over many stored articles at once (stories, speakers, claims)."""
