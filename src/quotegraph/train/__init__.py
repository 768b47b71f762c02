"""Fitting the project's own models: ``quotegraph train ...`` calls into this package.

One module per model: ``attribution`` (the learned attribution model), ``confidence`` (the
statement confidence table), ``stance`` (the FNC-1 stance model) and ``claim_ranker`` (the
known-claim re-ranker); ``provenance`` records what produced a model and where it is
written. Trainers may use the ``[train]`` extra (scikit-learn) and read gold data through
``quotegraph.evaluate``; runtime code never imports this package.
"""
