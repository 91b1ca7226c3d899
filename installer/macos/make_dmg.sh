#!/usr/bin/env bash
# dist/PO Downloader.app -> dist/installer/PO-Downloader-<version>-macos.dmg (the .app and an Applications link).
#
#   make dist && bash installer/macos/make_dmg.sh        # on macOS, from the repository root
#
# Signing and notarisation run only when their credentials are in the environment; otherwise they are
# skipped with a message, and the dmg is still made (users then open it with right-click > Open once).
#   MACOS_SIGN_IDENTITY   "Developer ID Application: Name (TEAMID)", in the login or a CI keychain
#   APPLE_ID, APPLE_TEAM_ID, APPLE_APP_PASSWORD   an app-specific password, for notarytool
set -euo pipefail
cd "$(dirname "$0")/../.."

PYTHON=${PYTHON:-python3}
VERSION=$("$PYTHON" installer/version.py)
APP="dist/PO Downloader.app"
OUT_DIR=dist/installer
DMG="$OUT_DIR/PO-Downloader-$VERSION-macos.dmg"
ENTITLEMENTS=installer/macos/entitlements.plist

[ "$(uname)" = Darwin ] || { echo "make_dmg.sh: needs macOS (hdiutil, codesign)" >&2; exit 2; }
[ -d "$APP" ] || { echo "make_dmg.sh: $APP not found: run 'make dist' first" >&2; exit 2; }

retry() {  # hdiutil fails now and then with "Resource busy" while Spotlight or XProtect looks at the image
  local attempt
  for attempt in 1 2 3 4 5; do
    "$@" && return 0
    echo "  attempt $attempt failed: $*; retrying in $((attempt * 3)) s" >&2
    sleep $((attempt * 3))
  done
  return 1
}

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  echo "signing $APP as $MACOS_SIGN_IDENTITY (hardened runtime)"
  codesign --force --deep --options runtime --timestamp --entitlements "$ENTITLEMENTS" \
    --sign "$MACOS_SIGN_IDENTITY" "$APP"
  codesign --verify --deep --strict --verbose=2 "$APP"
else
  echo "NOT SIGNED: MACOS_SIGN_IDENTITY is not set. The app runs, but Gatekeeper asks users to right-click > Open once."
fi

mkdir -p "$OUT_DIR"
STAGING=$(mktemp -d)
trap 'rm -rf "$STAGING"' EXIT
cp -R "$APP" "$STAGING/"
ln -s /Applications "$STAGING/Applications"
rm -f "$DMG"
retry hdiutil create -volname "PO Downloader $VERSION" -srcfolder "$STAGING" -fs HFS+ -format UDZO -ov "$DMG"

if [ -n "${MACOS_SIGN_IDENTITY:-}" ]; then
  codesign --force --timestamp --sign "$MACOS_SIGN_IDENTITY" "$DMG"
fi

if [ -n "${MACOS_SIGN_IDENTITY:-}" ] && [ -n "${APPLE_ID:-}" ] && [ -n "${APPLE_TEAM_ID:-}" ] && [ -n "${APPLE_APP_PASSWORD:-}" ]; then
  echo "notarising $DMG (waits for Apple's answer)"
  xcrun notarytool submit "$DMG" --apple-id "$APPLE_ID" --team-id "$APPLE_TEAM_ID" \
    --password "$APPLE_APP_PASSWORD" --wait
  retry xcrun stapler staple "$DMG"
else
  echo "NOT NOTARISED: needs MACOS_SIGN_IDENTITY, APPLE_ID, APPLE_TEAM_ID and APPLE_APP_PASSWORD."
fi

echo "$DMG ($(du -h "$DMG" | cut -f1))"
