#!/usr/bin/env bash
# Makes sure Debian's Chromium is there for the browser tests (BrowserJourneysIT), run by Maven before them.
# The tests never download a browser: they drive /usr/bin/chromium (or $CHROMIUM_PATH) with playwright-core.
# When it is missing, installs the Debian package with apt-get, as root or through password-less sudo.
set -euo pipefail

CHROMIUM=${CHROMIUM_PATH:-/usr/bin/chromium}

if [[ -x $CHROMIUM ]]; then
    echo "Chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
    exit 0
fi
if [[ $CHROMIUM != /usr/bin/chromium ]]; then
    echo "CHROMIUM_PATH=$CHROMIUM is not an executable" >&2
    exit 1
fi

if [[ $(id -u) -eq 0 ]]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
else
    echo "Chromium is missing and cannot be installed without root: run 'apt-get install chromium' as root" >&2
    echo "(or point CHROMIUM_PATH at a Chromium or Chrome binary)" >&2
    exit 1
fi

echo "Installing Debian's chromium for the browser tests ..."
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends chromium >/dev/null
echo "Chromium: $("$CHROMIUM" --version)"
