"""Evaluation harnesses that score extracted statements against third-party gold data.

``quotegraph.evaluate.polnear`` reads the PolNeAR attribution corpus and scores
``Statement`` predictions by word tokens. The data itself is never part of the package.
"""
