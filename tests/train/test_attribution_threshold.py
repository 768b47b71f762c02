"""The learned attribution model's threshold is chosen on a smoothed dev curve."""

from quotegraph.train.attribution import THRESHOLDS, choose_threshold, smoothed


def curve(peaks: dict[float, float]) -> dict[float, float]:
    return {t: peaks.get(t, 0.70) for t in THRESHOLDS}


def test_a_lone_peak_loses_to_the_middle_of_a_plateau():
    # 0.35 is the single best point, but 0.40 sits between two strong neighbours.
    scores = curve({0.3: 0.7585, 0.35: 0.7607, 0.4: 0.7584, 0.45: 0.7602})
    best, seen = choose_threshold({}, lambda d: scores[d["threshold"]])
    assert best == 0.4
    assert seen == scores


def test_smoothed_averages_the_point_and_its_neighbours():
    scores = {0.3: 0.6, 0.35: 0.9, 0.4: 0.6}
    assert smoothed(scores, 0.35) == (0.6 + 0.9 + 0.6) / 3
    assert smoothed(scores, 0.3) == (0.6 + 0.9) / 2


def test_a_clear_peak_is_still_chosen():
    scores = curve({0.5: 0.80, 0.55: 0.78, 0.45: 0.78})
    best, _ = choose_threshold({}, lambda d: scores[d["threshold"]])
    assert best == 0.5
