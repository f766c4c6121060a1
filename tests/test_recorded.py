"""The settings record: what differs between the settings results/ were made with and now."""

from vaeconcepts.config import recorded


def test_differences_name_the_keys_and_both_values(tmp_path):
    path = tmp_path / "settings.yaml"
    made_with = {"nz": [2, 5, 20], "inference": {"T": 20}, "data_dir": "/a", "seed": 0}
    assert recorded.differences(made_with, path) == []  # nothing recorded yet
    recorded.record(made_with, path)
    assert recorded.differences({**made_with, "data_dir": "../a"}, path) == []  # a path
    now = {"nz": [2, 5, 10, 20, 100], "inference": {"T": 80}, "data_dir": "/a", "seed": 0}
    assert recorded.differences(now, path) == [
        "inference.T: 20 there, 80 here",
        "nz: [2, 5, 20] there, [2, 5, 10, 20, 100] here",
    ]
    assert "inference.T: 20 there" in recorded.report_message(recorded.differences(now, path))


def test_the_report_guard_names_the_config_files_the_run_was_given(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "presets").mkdir()
    given = [tmp_path / "presets" / "quick.yaml", recorded.BASE]
    recorded.record({"seed": 0, "nz": [2]}, "settings.yaml", files=given)
    assert recorded.recorded_files("settings.yaml") == ["presets/quick.yaml"]
    diffs = recorded.differences({"seed": 0, "nz": [5]}, "settings.yaml")
    assert diffs == ["nz: [2] there, [5] here"]  # the files are no setting
    message = recorded.report_message(diffs, "settings.yaml")
    assert "`snakemake --report results/report.html --configfile presets/quick.yaml`" in message
    recorded.record({"seed": 0, "nz": [2]}, "settings.yaml", files=[recorded.BASE])
    message = recorded.report_message(diffs, "settings.yaml")
    assert "no --configfile" in message and "presets/quick.yaml" not in message
