# install_missing WHO PKG...: installs with apt-get those of the Debian packages PKG that are not installed,
# saying so as WHO; sudo when not root.
install_missing() {
  local who=$1 pkg sudo="" missing=()
  shift
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "$who: installing ${missing[*]}" >&2
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
}
