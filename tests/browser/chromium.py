"""How Samstem drives Debian's Chromium: shared by the browser tests and bench/."""

CHROMIUM = "/usr/bin/chromium"
# Root cannot use the sandbox; the rest keeps Chromium from calling outside hosts.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
PHONE = {"width": 360, "height": 640}
LAPTOP = {"width": 1280, "height": 800}  # a respondent's link opened on a laptop (issue 10)
