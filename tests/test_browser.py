from crawler import browser


def test_explicit_executable_wins(monkeypatch):
    monkeypatch.setenv("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/opt/chrome/chrome")
    options = browser.chromium_launch_options()
    assert options["executable_path"] == "/opt/chrome/chrome"
    assert "--disable-background-networking" in options["args"]


def test_playwrights_own_browser_is_preferred(monkeypatch, tmp_path):
    monkeypatch.delenv("PLAYWRIGHT_CHROMIUM_EXECUTABLE", raising=False)
    chrome = tmp_path / "chromium-1200" / "chrome-linux" / "chrome"
    chrome.parent.mkdir(parents=True)
    chrome.write_text("")
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))
    assert "executable_path" not in browser.chromium_launch_options()


def test_system_chromium_otherwise(monkeypatch, tmp_path):
    monkeypatch.delenv("PLAYWRIGHT_CHROMIUM_EXECUTABLE", raising=False)
    monkeypatch.setenv("PLAYWRIGHT_BROWSERS_PATH", str(tmp_path))  # empty: no own browser
    fake = tmp_path / "bin" / "chromium"
    fake.parent.mkdir()
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(fake.parent))
    assert browser.chromium_launch_options()["executable_path"] == str(fake)
